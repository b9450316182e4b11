"""The Google Drive API client: listings and metadata (``api``), file bytes (``api_transfers``,
streamed over plain connections by ``media``), what a Drive file is (``drive_file``) and when a
failure is worth a retry (``api_retries``).

Both processes use it: the server for the picker and for copies to and from Drive, the mount
process (``fusefs/``) for everything it shows and writes. Blocking: call it from worker threads.
"""
