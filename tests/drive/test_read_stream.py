"""One open file's stream on its own (no FUSE): the reads the kernel sends, out of order and from
several threads, answered from one ranged GET; seeks; a dropped connection resumed."""

from __future__ import annotations

import ctypes
import random
import threading

from google.oauth2.credentials import Credentials

from colab_ext.drive.client.media import MediaClient
from colab_ext.drive.fusefs.streams import ReadStream
from tests.drive.fake_drive import FakeDrive

MIB = 1024 * 1024


def open_stream(fake: FakeDrive, file_id: str, size: int, skip: int = 16 * MIB) -> ReadStream:
    token = "ya29.stream-test"
    fake.access_tokens.add(token)
    credentials = Credentials(token=token)  # type: ignore[no-untyped-call]
    endpoint = f"{fake.url}/drive/v3/"
    return ReadStream(lambda: MediaClient(credentials, endpoint, 30), file_id, size, skip)


def read(stream: ReadStream, offset: int, size: int) -> bytes:
    return stream.read(size, offset)


def test_out_of_order_reads_from_several_threads_share_one_request(fake_drive: FakeDrive) -> None:
    size = 48 * MIB + 123
    file_id, _ = fake_drive.add_large_file("weights.bin", size)
    content = fake_drive.content(file_id)
    stream = open_stream(fake_drive, file_id, size)
    pieces: dict[int, bytes] = {}

    def reader(offset: int) -> None:
        pieces[offset] = read(stream, offset, MIB)

    # As the kernel's read-ahead sends them: windows of four 1 MiB pieces, each window's pieces
    # from four threads at once, in shuffled order.
    shuffle = random.Random(3)
    for window in range(0, size, 4 * MIB):
        offsets = [o for o in range(window, min(window + 4 * MIB, size), MIB)]
        shuffle.shuffle(offsets)
        threads = [threading.Thread(target=reader, args=(o,)) for o in offsets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for offset, piece in pieces.items():
        assert piece == content[offset : offset + MIB], offset
    assert sorted(pieces) == list(range(0, size, MIB))
    # One stream for all of it. It starts wherever the first read of the first window lands, so
    # that window's earlier pieces may each take a request of their own (and one that goes on
    # where another ended moves the stream); after that, a piece that arrives after the stream
    # passed it finds the bytes kept. Over 40 runs here: 2 to 5 requests; 21 to 31 without the
    # kept bytes.
    assert fake_drive.count("GET", f"/files/{file_id}?") <= 6
    stream.close()


def test_a_hopping_reader_leaves_the_stream_and_a_sequential_one_moves_it(
    fake_drive: FakeDrive,
) -> None:
    size = 64 * MIB
    file_id, _ = fake_drive.add_large_file("table.parquet", size)
    content = fake_drive.content(file_id)
    stream = open_stream(fake_drive, file_id, size, skip=2 * MIB)
    requests = lambda: fake_drive.count("GET", f"/files/{file_id}?")  # noqa: E731

    assert read(stream, size - 8, 8) == content[-8:]  # the footer: the stream starts there
    assert read(stream, 10 * MIB, 4096) == content[10 * MIB : 10 * MIB + 4096]  # a hop: once
    assert read(stream, 40 * MIB, 4096) == content[40 * MIB : 40 * MIB + 4096]  # another
    assert requests() == 3
    # Going on from where the last hop ended moves the stream there: one more request, then
    # every read that follows, and short jumps ahead, come from it.
    offset = 40 * MIB + 4096
    for _ in range(12):
        assert read(stream, offset, 300_000) == content[offset : offset + 300_000]
        offset += 300_000
    offset += MIB  # a jump within ``skip``: read on to it
    assert read(stream, offset, MIB) == content[offset : offset + MIB]
    assert requests() == 4
    assert read(stream, size - 10, 100) == content[-10:]  # past the end: what there is
    assert read(stream, size, 100) == b""
    stream.close()


def test_a_dropped_connection_resumes_where_it_stopped(fake_drive: FakeDrive) -> None:
    size = 12 * MIB
    file_id, _ = fake_drive.add_large_file("big.bin", size)
    content = fake_drive.content(file_id)
    fake_drive.fault("GET", file_id, drop_after=5 * MIB + 17)
    fake_drive.fault("GET", file_id, status=503)
    stream = open_stream(fake_drive, file_id, size)
    target = ctypes.create_string_buffer(size)
    done = 0
    while done < size:
        done += stream.read_into(ctypes.addressof(target) + done, min(MIB, size - done), done)
    assert target.raw == content
    stream.close()
