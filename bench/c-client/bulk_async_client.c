/* The C baseline of `npm run bench`'s bulk rows: bulk.PutBytes (one [in] buffer) or
   bulk.GetBytes (one [out] buffer) called asynchronously with N calls in flight, as
   calc_async_client.c calls Add: NdrAsyncClientCall with winrpc's own format strings,
   RpcNotificationTypeIoc, RpcAsyncCompleteCall after each notification, the freed slot
   reissued. Each slot owns its buffer (allocated once, as a careful C caller would).

   usage: bulk_async_client <string-binding> <in-flight> <calls> <warm-up calls> <put|get> <bytes>
   prints one JSON line: {"calls", "seconds", "cpuSeconds", "errors"} of the timed run. */
#include <rpc.h>
#include <rpcasync.h>
#include <rpcndr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "bulk_formats.h"

static void* __RPC_USER bulk_allocate(SIZE_T size) { return malloc(size); }
static void __RPC_USER bulk_free(void* block) { free(block); }

/* As native/win/rpc_interface.cc sets up winrpc's descriptors (see calc_stub_desc.h). */
typedef struct bulk_stub {
  RPC_CLIENT_INTERFACE client_interface;
  MIDL_STUB_DESC stub_desc;
  handle_t unused_auto_handle;
} bulk_stub;

typedef struct call_slot {
  RPC_ASYNC_STATE async;
  OVERLAPPED overlapped;
  byte* data;
} call_slot;

static bulk_stub stub;
static RPC_BINDING_HANDLE binding;
static HANDLE port;
static unsigned long first_error;
static int put; /* 1: PutBytes, 0: GetBytes */
static LONG size;
static LONG expected_sum;

static void stub_init(void) {
  static const RPC_SYNTAX_IDENTIFIER ndr20 = {
      {0x8a885d04, 0x1ceb, 0x11c9, {0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60}}, {2, 0}};
  static const GUID bulk_uuid = BULK_UUID;
  memset(&stub, 0, sizeof stub);
  stub.client_interface.Length = sizeof(RPC_CLIENT_INTERFACE);
  stub.client_interface.InterfaceId.SyntaxGUID = bulk_uuid;
  stub.client_interface.InterfaceId.SyntaxVersion.MajorVersion = BULK_VERSION_MAJOR;
  stub.client_interface.InterfaceId.SyntaxVersion.MinorVersion = BULK_VERSION_MINOR;
  stub.client_interface.TransferSyntax = ndr20;
  stub.stub_desc.RpcInterfaceInformation = &stub.client_interface;
  stub.stub_desc.pfnAllocate = bulk_allocate;
  stub.stub_desc.pfnFree = bulk_free;
  stub.stub_desc.IMPLICIT_HANDLE_INFO.pAutoHandle = &stub.unused_auto_handle;
  stub.stub_desc.pFormatTypes = bulk_async_type_format;
  stub.stub_desc.fCheckBounds = 1;
  stub.stub_desc.Version = 0x50002;
  stub.stub_desc.MIDLVersion = 0x8000253;
  stub.stub_desc.mFlags = 1;
}

static int capture(unsigned long code, volatile unsigned long* into) {
  *into = code;
  return EXCEPTION_EXECUTE_HANDLER;
}

static unsigned long issue(call_slot* slot) {
  volatile unsigned long code = 0;
  RPC_STATUS status = RpcAsyncInitializeHandle(&slot->async, sizeof(RPC_ASYNC_STATE));
  if (status != RPC_S_OK) return (unsigned long)status;
  slot->async.NotificationType = RpcNotificationTypeIoc;
  slot->async.u.IOC.hIOPort = port;
  slot->async.u.IOC.dwCompletionKey = 1;
  slot->async.u.IOC.lpOverlapped = &slot->overlapped;
  __try {
    NdrAsyncClientCall(&stub.stub_desc,
                       (PFORMAT_STRING)bulk_async_proc_format +
                           (put ? BULK_ASYNC_PUT_OFFSET : BULK_ASYNC_GET_OFFSET),
                       &slot->async, binding, size, slot->data);
  } __except (capture(GetExceptionCode(), &code)) {
    if (code == 0) code = (unsigned long)-1;
  }
  return code;
}

/* 0 when the call returned what the server computes. */
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
  if (put) return (LONG)reply == expected_sum ? 0 : 1783;
  return slot->data[size - 1] == (byte)((size - 1) & 0xff) ? 0 : 1783;
}

static long run(call_slot* slots, long in_flight, long total) {
  long issued = 0, done = 0, errors = 0;
  OVERLAPPED_ENTRY entries[64];
  for (long i = 0; i < in_flight && issued < total; ++i, ++issued) {
    unsigned long status = issue(&slots[i]);
    if (status != 0) {
      if (first_error == 0) first_error = status;
      ++errors;
      ++done;
    }
  }
  while (done < total) {
    ULONG count = 0;
    if (!GetQueuedCompletionStatusEx(port, entries, 64, &count, 60000, FALSE)) {
      fprintf(stderr, "bulk_async_client: no completion within 60 s (%ld of %ld done)\n", done,
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
      while (issued < total) {
        ++issued;
        status = issue(slot);
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

static double process_cpu_seconds(void) {
  FILETIME created, exited, kernel, user;
  if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) return 0;
  return seconds_of(kernel) + seconds_of(user);
}

int main(int argc, char** argv) {
  if (argc != 7) {
    fprintf(stderr,
            "usage: %s <string-binding> <in-flight> <calls> <warm-up calls> <put|get> <bytes>\n",
            argv[0]);
    return 2;
  }
  long in_flight = atol(argv[2]), total = atol(argv[3]), warm_up = atol(argv[4]);
  put = strcmp(argv[5], "put") == 0;
  size = atol(argv[6]);
  if (in_flight < 1 || total < 1 || warm_up < 0 || size < 1) return 2;
  if (!put && strcmp(argv[5], "get") != 0) return 2;

  stub_init();
  RPC_STATUS status = RpcBindingFromStringBindingA((RPC_CSTR)argv[1], &binding);
  if (status != RPC_S_OK) {
    fprintf(stderr, "RpcBindingFromStringBinding failed: %ld\n", (long)status);
    return 1;
  }
  RpcBindingSetOption(binding, RPC_C_OPT_BINDING_NONCAUSAL, TRUE);
  port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
  call_slot* slots = calloc((size_t)in_flight, sizeof(call_slot));
  if (port == NULL || slots == NULL) return 1;
  ULONG sum = 0;
  for (LONG i = 0; i < size; ++i) sum += (ULONG)(i & 0xff);
  expected_sum = (LONG)sum;
  for (long i = 0; i < in_flight; ++i) {
    slots[i].data = malloc((size_t)size);
    if (slots[i].data == NULL) return 1;
    for (LONG j = 0; j < size; ++j) slots[i].data[j] = (byte)(j & 0xff);
  }

  long errors = warm_up > 0 ? run(slots, in_flight, warm_up) : 0;
  LARGE_INTEGER frequency, start, end;
  QueryPerformanceFrequency(&frequency);
  double cpu_start = process_cpu_seconds();
  QueryPerformanceCounter(&start);
  errors += run(slots, in_flight, total);
  QueryPerformanceCounter(&end);
  double cpu = process_cpu_seconds() - cpu_start;
  double seconds = (double)(end.QuadPart - start.QuadPart) / (double)frequency.QuadPart;

  printf("{\"calls\":%ld,\"seconds\":%.6f,\"cpuSeconds\":%.6f,\"errors\":%ld,\"firstError\":%lu}\n",
         total, seconds, cpu, errors, first_error);
  fflush(stdout);
  RpcBindingFree(&binding);
  CloseHandle(port);
  return errors == 0 ? 0 : 1;
}
