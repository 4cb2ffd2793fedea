/* The C baseline of `npm run bench`: calc's Add called asynchronously with N calls in
   flight through an I/O completion port, as a careful C programmer would write it on
   the raw runtime (no JS, no per-call allocation): NdrAsyncClientCall with winrpc's
   own format strings, RpcNotificationTypeIoc, RpcAsyncCompleteCall after each
   notification, and a new call issued on the freed slot to keep N in flight.

   usage: calc_async_client <string-binding> <in-flight> <calls> <warm-up calls>
   prints one JSON line: {"calls", "seconds", "cpuSeconds", "errors", "firstError",
   "rssBefore", "rssAfter"} of the timed run (process CPU time from GetProcessTimes, all
   threads; the working set before and after it, what Node's process.memoryUsage().rss
   reports on Windows, for the soak's comparison). Exit 0 unless a call failed. */
/* GetProcessMemoryInfo as K32GetProcessMemoryInfo, in kernel32: no psapi import. */
#define PSAPI_VERSION 2
#include <rpc.h>
#include <rpcasync.h>
#include <rpcndr.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
/* after windows.h, which it needs */
#include <psapi.h>

#include "calc_stub_desc.h"

typedef struct call_slot {
  RPC_ASYNC_STATE async;
  OVERLAPPED overlapped; /* comes back with the notification; leads to the slot */
  LONG a;
  LONG b;
} call_slot;

static calc_stub stub;
static RPC_BINDING_HANDLE binding;
static HANDLE port;
static unsigned long first_error;

static int capture(unsigned long code, volatile unsigned long* into) {
  *into = code;
  return EXCEPTION_EXECUTE_HANDLER;
}

/* Issues Add(a, b) on the slot; returns 0 or the status/exception code. */
static unsigned long issue(call_slot* slot, LONG a) {
  volatile unsigned long code = 0;
  RPC_STATUS status = RpcAsyncInitializeHandle(&slot->async, sizeof(RPC_ASYNC_STATE));
  if (status != RPC_S_OK) return (unsigned long)status;
  slot->a = a;
  slot->b = 1;
  slot->async.NotificationType = RpcNotificationTypeIoc;
  slot->async.u.IOC.hIOPort = port;
  slot->async.u.IOC.dwCompletionKey = 1;
  slot->async.u.IOC.lpOverlapped = &slot->overlapped;
  __try {
    NdrAsyncClientCall(&stub.stub_desc,
                       (PFORMAT_STRING)calc_async_proc_format + CALC_ASYNC_ADD_OFFSET, &slot->async,
                       binding, slot->a, slot->b);
  } __except (capture(GetExceptionCode(), &code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

/* RpcAsyncCompleteCall after the notification; returns 0 when Add returned a + b. */
static unsigned long complete(call_slot* slot) {
  volatile unsigned long code = 0;
  unsigned long long reply = 0;
  RPC_STATUS status = RPC_S_OK;
  __try {
    status = RpcAsyncCompleteCall(&slot->async, &reply);
  } __except (capture(GetExceptionCode(), &code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  if (code != 0) return code;
  if (status != RPC_S_OK) return (unsigned long)status;
  return (LONG)reply == (LONG)((ULONG)slot->a + (ULONG)slot->b) ? 0 : 1783; /* bad data */
}

/* Makes `total` calls with up to `in_flight` outstanding; returns the failed count. */
static long run(call_slot* slots, long in_flight, long total) {
  long issued = 0, done = 0, errors = 0;
  OVERLAPPED_ENTRY entries[64];
  for (long i = 0; i < in_flight && issued < total; ++i) {
    unsigned long status = issue(&slots[i], (LONG)issued++);
    if (status != 0) {
      if (first_error == 0) first_error = status;
      ++errors;
      ++done;
    }
  }
  while (done < total) {
    ULONG count = 0;
    if (!GetQueuedCompletionStatusEx(port, entries, 64, &count, 30000, FALSE)) {
      fprintf(stderr, "calc_async_client: no completion within 30 s (%ld of %ld done)\n", done,
              total);
      exit(3);
    }
    for (ULONG i = 0; i < count; ++i) {
      call_slot* slot = CONTAINING_RECORD(entries[i].lpOverlapped, call_slot, overlapped);
      unsigned long status = complete(slot);
      ++done;
      if (status != 0) {
        if (first_error == 0) first_error = status;
        ++errors;
      }
      /* Reissue until the count is reached; a refused call counts as done at once. */
      while (issued < total) {
        status = issue(slot, (LONG)issued++);
        if (status == 0) break;
        if (first_error == 0) first_error = status;
        ++errors;
        ++done;
      }
    }
  }
  return errors;
}

static double seconds_of(FILETIME t) {
  ULARGE_INTEGER v;
  v.LowPart = t.dwLowDateTime;
  v.HighPart = t.dwHighDateTime;
  return (double)v.QuadPart / 1e7;
}

/* The process's working set in bytes (0 if it cannot be read). */
static unsigned long long working_set(void) {
  PROCESS_MEMORY_COUNTERS counters;
  if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof counters)) return 0;
  return (unsigned long long)counters.WorkingSetSize;
}

static double process_cpu_seconds(void) {
  FILETIME created, exited, kernel, user;
  if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) return 0;
  return seconds_of(kernel) + seconds_of(user);
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s <string-binding> <in-flight> <calls> <warm-up calls>\n", argv[0]);
    return 2;
  }
  long in_flight = atol(argv[2]), total = atol(argv[3]), warm_up = atol(argv[4]);
  if (in_flight < 1 || total < 1 || warm_up < 0) return 2;

  calc_stub_init(&stub, calc_async_type_format);
  RPC_STATUS status = RpcBindingFromStringBindingA((RPC_CSTR)argv[1], &binding);
  if (status != RPC_S_OK) {
    fprintf(stderr, "RpcBindingFromStringBinding failed: %ld\n", (long)status);
    return 1;
  }
  /* As winrpc binds: non-causal, so calls in flight on one binding do not wait for
     each other (no authentication either: the runtime's default for a new handle). */
  RpcBindingSetOption(binding, RPC_C_OPT_BINDING_NONCAUSAL, TRUE);
  port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
  call_slot* slots = calloc((size_t)in_flight, sizeof(call_slot));
  if (port == NULL || slots == NULL) return 1;

  long errors = warm_up > 0 ? run(slots, in_flight, warm_up) : 0;
  LARGE_INTEGER frequency, start, end;
  QueryPerformanceFrequency(&frequency);
  unsigned long long rss_before = working_set();
  double cpu_start = process_cpu_seconds();
  QueryPerformanceCounter(&start);
  errors += run(slots, in_flight, total);
  QueryPerformanceCounter(&end);
  double cpu = process_cpu_seconds() - cpu_start;
  unsigned long long rss_after = working_set();
  double seconds = (double)(end.QuadPart - start.QuadPart) / (double)frequency.QuadPart;

  printf(
      "{\"calls\":%ld,\"seconds\":%.6f,\"cpuSeconds\":%.6f,\"errors\":%ld,\"firstError\":%lu,"
      "\"rssBefore\":%llu,\"rssAfter\":%llu}\n",
      total, seconds, cpu, errors, first_error, rss_before, rss_after);
  fflush(stdout);
  RpcBindingFree(&binding);
  CloseHandle(port);
  return errors == 0 ? 0 : 1;
}
