/*
 * A stand-in libnvidia-ml.so.1 for tests: the real nvidia-ml-py bindings load it and call it as they
 * would the driver's library. What it reports is read from the file named by NVML_STANDIN_CONFIG at
 * nvmlInit, so each test sets its own devices. Lines (unknown keys are ignored):
 *   init <nvml return code>     what nvmlInit returns (0 = success, 9 = driver not loaded)
 *   driver <version>            nvmlSystemGetDriverVersion
 *   delay_ms <n>                every call sleeps this long first (a slow driver)
 *   gpu <name>                  one device per line, in index order
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_GPUS 16
#define TEXT 96

typedef int nvmlReturn_t;
typedef struct standin_device { char name[TEXT]; } *nvmlDevice_t;

enum { OK = 0, UNINITIALIZED = 1, INVALID_ARGUMENT = 2, INSUFFICIENT_SIZE = 7 };

static struct {
  int init_result;
  char driver[TEXT];
  long delay_ms;
  int count;
  struct standin_device gpus[MAX_GPUS];
} cfg;
static int initialised;

static void nap(void) {
  if (cfg.delay_ms > 0) {
    struct timespec t = {cfg.delay_ms / 1000, (cfg.delay_ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
  }
}

static void load_config(void) {
  memset(&cfg, 0, sizeof cfg);
  strcpy(cfg.driver, "999.99");
  const char *path = getenv("NVML_STANDIN_CONFIG");
  FILE *f = path ? fopen(path, "r") : NULL;
  if (!f) return;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *value = strchr(line, ' ');
    if (!value) continue;
    *value++ = 0;
    if (!strcmp(line, "init")) cfg.init_result = atoi(value);
    else if (!strcmp(line, "driver")) snprintf(cfg.driver, TEXT, "%s", value);
    else if (!strcmp(line, "delay_ms")) cfg.delay_ms = atol(value);
    else if (!strcmp(line, "gpu") && cfg.count < MAX_GPUS)
      snprintf(cfg.gpus[cfg.count++].name, TEXT, "%s", value);
  }
  fclose(f);
}

static nvmlReturn_t copy_text(const char *text, char *out, unsigned int length) {
  if (!out) return INVALID_ARGUMENT;
  if (strlen(text) + 1 > length) return INSUFFICIENT_SIZE;
  strcpy(out, text);
  return OK;
}

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
    case INSUFFICIENT_SIZE: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
  if (!initialised) return UNINITIALIZED;
  nap();
  return copy_text(cfg.driver, version, length);
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  if (!initialised) return UNINITIALIZED;
  nap();
  *count = (unsigned int)cfg.count;
  return OK;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  if (!initialised) return UNINITIALIZED;
  if (index >= (unsigned int)cfg.count) return INVALID_ARGUMENT;
  *device = &cfg.gpus[index];
  return OK;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  if (!initialised) return UNINITIALIZED;
  nap();
  return copy_text(device->name, name, length);
}
