/* Manager routines of the inventory example server (inventory.idl). */
#include "inventory.h"

#include <string.h>
#include <wchar.h>

#include "server-main.h"

typedef struct Stock {
  LONG id;
  const wchar_t* name;
  double price;
  LONG quantity;
} Stock;

static Stock stock[] = {
    {1, L"anvil", 49.90, 12},
    {2, L"rocket skates", 129.00, 3},
    {3, L"giant magnet", 75.50, 0},
    {4, L"bird seed (\u00e9dition sp\u00e9ciale)", 4.25, 240},
};
#define STOCK_COUNT ((LONG)(sizeof stock / sizeof stock[0]))
static CRITICAL_SECTION lock;

static StockLevel level_of(LONG quantity) {
  return quantity == 0 ? STOCK_OUT : quantity < 5 ? STOCK_LOW : STOCK_OK;
}

LONG __cdecl CountItems(void) { return STOCK_COUNT; }

void __cdecl FindItem(const wchar_t* name, ItemInfo* info) {
  LONG i;
  for (i = 0; i < STOCK_COUNT; ++i) {
    if (wcscmp(stock[i].name, name) != 0) continue;
    size_t bytes = (wcslen(stock[i].name) + 1) * sizeof(wchar_t);
    /* [out] memory the stub frees after sending, as MIDL servers allocate it. */
    info->name = MIDL_user_allocate(bytes);
    if (info->name == NULL) RpcRaiseException(RPC_S_OUT_OF_MEMORY);
    memcpy(info->name, stock[i].name, bytes);
    info->id = stock[i].id;
    info->price = stock[i].price;
    EnterCriticalSection(&lock);
    info->quantity = stock[i].quantity;
    LeaveCriticalSection(&lock);
    info->level = level_of(info->quantity);
    return;
  }
  RpcRaiseException(RPC_S_OBJECT_NOT_FOUND);
}

LONG __cdecl Reserve(LONG id, LONG quantity) {
  LONG i, left = -1;
  for (i = 0; i < STOCK_COUNT; ++i) {
    if (stock[i].id != id) continue;
    EnterCriticalSection(&lock);
    if (quantity >= 0 && stock[i].quantity >= quantity) {
      stock[i].quantity -= quantity;
      left = stock[i].quantity;
    }
    LeaveCriticalSection(&lock);
    if (left < 0) RpcRaiseException(ERROR_NOT_ENOUGH_QUOTA);
    return left;
  }
  RpcRaiseException(RPC_S_OBJECT_NOT_FOUND);
  return -1;
}

hyper __cdecl StockValue(LONG ms) {
  hyper cents = 0;
  LONG i;
  Sleep(ms > 0 ? (DWORD)ms : 0);
  EnterCriticalSection(&lock);
  for (i = 0; i < STOCK_COUNT; ++i)
    cents += (hyper)(stock[i].price * 100 + 0.5) * stock[i].quantity;
  LeaveCriticalSection(&lock);
  return cents;
}

void __cdecl Shutdown(void) { stop_server(); }

int main(int argc, char** argv) {
  InitializeCriticalSection(&lock);
  return run_server(argc, argv, inventory_v1_0_s_ifspec, "inventory");
}
