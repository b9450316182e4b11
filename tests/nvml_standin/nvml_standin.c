/*
 * A stand-in libnvidia-ml.so.1 for tests: the real nvidia-ml-py bindings load it and call it as they
 * would the driver's library, in the server and in kernels alike. What it reports is read from the
 * file named by NVML_STANDIN_CONFIG at every nvmlInit, so each test sets its own devices.
 *
 * Lines of the file (unknown keys are ignored):
 *   init <code>               what nvmlInit returns (0 success, 9 driver not loaded, ...)
 *   driver <version>          nvmlSystemGetDriverVersion
 *   cuda <version>            nvmlSystemGetCudaDriverVersion, e.g. 12040
 *   delay_ms <n>              every call sleeps this long first (a slow driver)
 *   gpu k=v;k=v;...           one device per line, in index order. Keys: name uuid mem_total
 *                             mem_used util mem_util temp power power_limit mig (0/1)
 *   proc <gpu> <pid> <bytes> [<mig slot>]
 *                             a compute process on that GPU holding that much memory (listed on
 *                             the GPU, and on its MIG instance when a slot is given)
 *   mig k=v;k=v;...           a MIG instance of a GPU whose line says mig=1. Keys: gpu (its index),
 *                             slot (its MIG device index, else the next free one), name uuid
 *                             mem_total mem_used gi ci. Utilisation, temperature and power are
 *                             "not supported" on an instance, as on real hardware.
 *   fail <function> <code>    that function returns <code> (3 = not supported, 999 = unknown)
 * The file is read again when it changes while initialised, as a real driver's processes and
 * figures change under a long-lived NVML session (so a test can start a kernel, then report it).
 * Functions a driver may lack (NvLink, PCIe counters, ...) are simply not defined here, so the
 * bindings raise NVMLError_FunctionNotFound for them, as with an older driver.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_GPUS 16
#define MAX_MIGS 32
#define MAX_MIG_SLOTS 7
#define MAX_PROCS 64
#define MAX_FAILS 32
#define TEXT 96

typedef int nvmlReturn_t;

enum {
  OK = 0, UNINITIALIZED = 1, INVALID_ARGUMENT = 2, NOT_SUPPORTED = 3, INSUFFICIENT_SIZE = 7,
  DRIVER_NOT_LOADED = 9, NOT_FOUND = 6, GPU_IS_LOST = 15, UNKNOWN = 999
};

typedef struct standin_device {
  unsigned int index;
  char name[TEXT], uuid[TEXT];
  unsigned long long mem_total, mem_used;
  unsigned int util, mem_util, temp, power, power_limit, mig;
  /* A MIG instance: its parent GPU's index, its MIG device index and instance ids. */
  int is_mig;
  unsigned int parent, slot, gi, ci;
} *nvmlDevice_t;

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } nvmlMemory_v2_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId, computeInstanceId;
} nvmlProcessInfo_t;

static struct {
  int init_result;
  char driver[TEXT];
  int cuda;
  long delay_ms;
  unsigned int count;
  struct standin_device gpus[MAX_GPUS];
  unsigned int nmigs;
  struct standin_device migs[MAX_MIGS];
  unsigned int nprocs;
  struct { unsigned int gpu, pid; unsigned long long used; int mig; } procs[MAX_PROCS];
  unsigned int nfails;
  struct { char function[TEXT]; int code; } fails[MAX_FAILS];
} cfg;
static int initialised;
static struct timespec config_mtime;
static off_t config_size;

static void nap(void) {
  if (cfg.delay_ms > 0) {
    struct timespec t = {cfg.delay_ms / 1000, (cfg.delay_ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
  }
}

static void load_config(void);

/* Whether the config file changed since it was last read (a test rewrote it). */
static int config_changed(void) {
  const char *path = getenv("NVML_STANDIN_CONFIG");
  struct stat st;
  if (!path || stat(path, &st) != 0) return 0;
  return st.st_mtim.tv_sec != config_mtime.tv_sec || st.st_mtim.tv_nsec != config_mtime.tv_nsec ||
         st.st_size != config_size;
}

/* What a call should return before doing its work: not initialised, or an injected failure. */
static nvmlReturn_t enter(const char *function) {
  if (!initialised) return UNINITIALIZED;
  if (config_changed()) load_config();
  nap();
  for (unsigned int i = 0; i < cfg.nfails; i++)
    if (!strcmp(cfg.fails[i].function, function)) return cfg.fails[i].code;
  return OK;
}
#define ENTER() do { nvmlReturn_t r_ = enter(__func__); if (r_ != OK) return r_; } while (0)

static void parse_gpu(char *spec) {
  if (cfg.count >= MAX_GPUS) return;
  struct standin_device *d = &cfg.gpus[cfg.count];
  memset(d, 0, sizeof *d);
  d->index = cfg.count;
  snprintf(d->name, TEXT, "Stand-in GPU");
  snprintf(d->uuid, TEXT, "GPU-00000000-0000-0000-0000-%012u", cfg.count);
  d->mem_total = 16ULL << 30;
  d->temp = 40; d->power = 50000; d->power_limit = 300000;
  for (char *item = strtok(spec, ";"); item; item = strtok(NULL, ";")) {
    char *value = strchr(item, '=');
    if (!value) continue;
    *value++ = 0;
    if (!strcmp(item, "name")) snprintf(d->name, TEXT, "%s", value);
    else if (!strcmp(item, "uuid")) snprintf(d->uuid, TEXT, "%s", value);
    else if (!strcmp(item, "mem_total")) d->mem_total = strtoull(value, NULL, 10);
    else if (!strcmp(item, "mem_used")) d->mem_used = strtoull(value, NULL, 10);
    else if (!strcmp(item, "util")) d->util = (unsigned)atoi(value);
    else if (!strcmp(item, "mem_util")) d->mem_util = (unsigned)atoi(value);
    else if (!strcmp(item, "temp")) d->temp = (unsigned)atoi(value);
    else if (!strcmp(item, "power")) d->power = (unsigned)atoi(value);
    else if (!strcmp(item, "power_limit")) d->power_limit = (unsigned)atoi(value);
    else if (!strcmp(item, "mig")) d->mig = (unsigned)atoi(value);
  }
  cfg.count++;
}

static void parse_mig(char *spec) {
  if (cfg.nmigs >= MAX_MIGS) return;
  struct standin_device *d = &cfg.migs[cfg.nmigs];
  memset(d, 0, sizeof *d);
  d->is_mig = 1;
  d->mig = 1;
  int slot = -1;
  d->mem_total = 10ULL << 30;
  for (char *item = strtok(spec, ";"); item; item = strtok(NULL, ";")) {
    char *value = strchr(item, '=');
    if (!value) continue;
    *value++ = 0;
    if (!strcmp(item, "gpu")) d->parent = (unsigned)atoi(value);
    else if (!strcmp(item, "slot")) slot = atoi(value);
    else if (!strcmp(item, "name")) snprintf(d->name, TEXT, "%s", value);
    else if (!strcmp(item, "uuid")) snprintf(d->uuid, TEXT, "%s", value);
    else if (!strcmp(item, "mem_total")) d->mem_total = strtoull(value, NULL, 10);
    else if (!strcmp(item, "mem_used")) d->mem_used = strtoull(value, NULL, 10);
    else if (!strcmp(item, "gi")) d->gi = (unsigned)atoi(value);
    else if (!strcmp(item, "ci")) d->ci = (unsigned)atoi(value);
  }
  if (slot < 0) {
    slot = 0;
    for (unsigned int i = 0; i < cfg.nmigs; i++)
      if (cfg.migs[i].parent == d->parent && (int)cfg.migs[i].slot >= slot) slot = (int)cfg.migs[i].slot + 1;
  }
  d->slot = (unsigned)slot;
  d->index = d->parent;
  if (!d->name[0]) snprintf(d->name, TEXT, "Stand-in GPU MIG 1g.10gb");
  if (!d->uuid[0]) snprintf(d->uuid, TEXT, "MIG-00000000-0000-0000-0000-%06u%06u", d->parent, d->slot);
  cfg.nmigs++;
}

static void load_config(void) {
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.driver, "999.99");
  cfg.cuda = 12040;
  const char *path = getenv("NVML_STANDIN_CONFIG");
  FILE *f = path ? fopen(path, "r") : NULL;
  if (!f) return;
  struct stat st;
  if (fstat(fileno(f), &st) == 0) {
    config_mtime = st.st_mtim;
    config_size = st.st_size;
  }
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *value = strchr(line, ' ');
    if (!value) continue;
    *value++ = 0;
    if (!strcmp(line, "init")) cfg.init_result = atoi(value);
    else if (!strcmp(line, "driver")) snprintf(cfg.driver, TEXT, "%s", value);
    else if (!strcmp(line, "cuda")) cfg.cuda = atoi(value);
    else if (!strcmp(line, "delay_ms")) cfg.delay_ms = atol(value);
    else if (!strcmp(line, "gpu")) parse_gpu(value);
    else if (!strcmp(line, "mig")) parse_mig(value);
    else if (!strcmp(line, "proc") && cfg.nprocs < MAX_PROCS) {
      unsigned int gpu, pid; unsigned long long used; int mig = -1;
      if (sscanf(value, "%u %u %llu %d", &gpu, &pid, &used, &mig) >= 3) {
        cfg.procs[cfg.nprocs].gpu = gpu;
        cfg.procs[cfg.nprocs].pid = pid;
        cfg.procs[cfg.nprocs].mig = mig;
        cfg.procs[cfg.nprocs++].used = used;
      }
    } else if (!strcmp(line, "fail") && cfg.nfails < MAX_FAILS) {
      char function[TEXT]; int code;
      if (sscanf(value, "%95s %d", function, &code) == 2) {
        snprintf(cfg.fails[cfg.nfails].function, TEXT, "%s", function);
        cfg.fails[cfg.nfails++].code = code;
      }
    }
  }
  fclose(f);
}

static nvmlReturn_t copy_text(const char *text, char *out, unsigned int length) {
  if (!out) return INVALID_ARGUMENT;
  if (strlen(text) + 1 > length) return INSUFFICIENT_SIZE;
  strcpy(out, text);
  return OK;
}

/* ---- init and system ---- */
nvmlReturn_t nvmlInitWithFlags(unsigned int flags) {
  (void)flags;
  load_config();
  nap();
  if (cfg.init_result == OK) initialised++;
  return cfg.init_result;
}
nvmlReturn_t nvmlInit_v2(void) { return nvmlInitWithFlags(0); }
nvmlReturn_t nvmlInit(void) { return nvmlInitWithFlags(0); }

nvmlReturn_t nvmlShutdown(void) {
  if (!initialised) return UNINITIALIZED;
  initialised--;
  return OK;
}

const char *nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
    case OK: return "Success";
    case UNINITIALIZED: return "Uninitialized";
    case INVALID_ARGUMENT: return "Invalid Argument";
    case NOT_SUPPORTED: return "Not Supported";
    case NOT_FOUND: return "Not Found";
    case INSUFFICIENT_SIZE: return "Insufficient Size";
    case DRIVER_NOT_LOADED: return "Driver Not Loaded";
    case GPU_IS_LOST: return "GPU is lost";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
  ENTER();
  return copy_text(cfg.driver, version, length);
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion(int *version) {
  ENTER();
  *version = cfg.cuda;
  return OK;
}
nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int *version) { return nvmlSystemGetCudaDriverVersion(version); }

/* ---- devices ---- */
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  ENTER();
  *count = cfg.count;
  return OK;
}
nvmlReturn_t nvmlDeviceGetCount(unsigned int *count) { return nvmlDeviceGetCount_v2(count); }

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  ENTER();
  if (index >= cfg.count) return INVALID_ARGUMENT;
  *device = &cfg.gpus[index];
  return OK;
}
nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int index, nvmlDevice_t *device) {
  return nvmlDeviceGetHandleByIndex_v2(index, device);
}

nvmlReturn_t nvmlDeviceGetHandleByUUID(const char *uuid, nvmlDevice_t *device) {
  ENTER();
  for (unsigned int i = 0; i < cfg.count; i++)
    if (!strcmp(cfg.gpus[i].uuid, uuid)) { *device = &cfg.gpus[i]; return OK; }
  return NOT_FOUND;
}

nvmlReturn_t nvmlDeviceGetIndex(nvmlDevice_t device, unsigned int *index) {
  ENTER();
  *index = device->index;
  return OK;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  ENTER();
  return copy_text(device->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  ENTER();
  return copy_text(device->uuid, uuid, length);
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory) {
  ENTER();
  memory->total = device->mem_total;
  memory->used = device->mem_used;
  memory->free = device->mem_total - device->mem_used;
  return OK;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *memory) {
  ENTER();
  memory->total = device->mem_total;
  memory->reserved = 0;
  memory->used = device->mem_used;
  memory->free = device->mem_total - device->mem_used;
  return OK;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *rates) {
  ENTER();
  /* MIG-enabled GPUs do not report utilisation, as on real hardware. */
  if (device->mig) return NOT_SUPPORTED;
  rates->gpu = device->util;
  rates->memory = device->mem_util;
  return OK;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int *temp) {
  ENTER();
  if (sensor != 0 || device->is_mig) return NOT_SUPPORTED;
  *temp = device->temp;
  return OK;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *milliwatts) {
  ENTER();
  if (device->is_mig) return NOT_SUPPORTED;
  *milliwatts = device->power;
  return OK;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int *milliwatts) {
  ENTER();
  if (device->is_mig) return NOT_SUPPORTED;
  *milliwatts = device->power_limit;
  return OK;
}

nvmlReturn_t nvmlDeviceGetPowerManagementLimit(nvmlDevice_t device, unsigned int *milliwatts) {
  ENTER();
  *milliwatts = device->power_limit;
  return OK;
}

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *current, unsigned int *pending) {
  ENTER();
  *current = device->mig;
  *pending = device->mig;
  return OK;
}

/* ---- MIG ---- */
nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device, unsigned int *count) {
  ENTER();
  if (device->is_mig) return INVALID_ARGUMENT;
  /* Zero when MIG is off, as NVML documents. */
  *count = device->mig ? MAX_MIG_SLOTS : 0;
  return OK;
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device, unsigned int index, nvmlDevice_t *mig) {
  ENTER();
  if (device->is_mig || !device->mig || index >= MAX_MIG_SLOTS) return INVALID_ARGUMENT;
  for (unsigned int i = 0; i < cfg.nmigs; i++)
    if (cfg.migs[i].parent == device->index && cfg.migs[i].slot == index) { *mig = &cfg.migs[i]; return OK; }
  return NOT_FOUND;
}

nvmlReturn_t nvmlDeviceIsMigDeviceHandle(nvmlDevice_t device, unsigned int *is_mig) {
  ENTER();
  *is_mig = (unsigned)device->is_mig;
  return OK;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t device, unsigned int *id) {
  ENTER();
  if (!device->is_mig) return NOT_SUPPORTED;
  *id = device->gi;
  return OK;
}

nvmlReturn_t nvmlDeviceGetComputeInstanceId(nvmlDevice_t device, unsigned int *id) {
  ENTER();
  if (!device->is_mig) return NOT_SUPPORTED;
  *id = device->ci;
  return OK;
}

/* Whether process i shows on this handle: a GPU lists all of its own, an instance only its own. */
static int listed_on(nvmlDevice_t device, unsigned int i) {
  if (cfg.procs[i].gpu != device->index) return 0;
  return !device->is_mig || cfg.procs[i].mig == (int)device->slot;
}

static nvmlReturn_t list_processes(nvmlDevice_t device, unsigned int *count, nvmlProcessInfo_t *infos) {
  unsigned int n = 0;
  for (unsigned int i = 0; i < cfg.nprocs; i++)
    if (listed_on(device, i)) n++;
  if (n == 0) { *count = 0; return OK; }
  if (!infos || *count < n) { *count = n; return INSUFFICIENT_SIZE; }
  unsigned int k = 0;
  for (unsigned int i = 0; i < cfg.nprocs; i++) {
    if (!listed_on(device, i)) continue;
    infos[k].pid = cfg.procs[i].pid;
    infos[k].usedGpuMemory = cfg.procs[i].used;
    infos[k].gpuInstanceId = 0xFFFFFFFF;
    infos[k].computeInstanceId = 0xFFFFFFFF;
    k++;
  }
  *count = n;
  return OK;
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t d, unsigned int *count, nvmlProcessInfo_t *infos) {
  ENTER();
  return list_processes(d, count, infos);
}
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t d, unsigned int *count, nvmlProcessInfo_t *infos) {
  ENTER();
  return list_processes(d, count, infos);
}
nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v3(nvmlDevice_t d, unsigned int *count, nvmlProcessInfo_t *infos) {
  ENTER();
  (void)d; (void)infos;
  *count = 0; /* compute processes only: notebooks do not draw */
  return OK;
}
