// inventory.c in JS.
import { type JsTwinFactory, raise } from './twin.js';

const RPC_S_OBJECT_NOT_FOUND = 1710;
const ERROR_NOT_ENOUGH_QUOTA = 1816;

const inventory: JsTwinFactory = (control) => {
  const stock = [
    { id: 1, name: 'anvil', price: 49.9, quantity: 12 },
    { id: 2, name: 'rocket skates', price: 129.0, quantity: 3 },
    { id: 3, name: 'giant magnet', price: 75.5, quantity: 0 },
    { id: 4, name: 'bird seed (\u00e9dition sp\u00e9ciale)', price: 4.25, quantity: 240 },
  ];
  const levelOf = (q: number) => (q === 0 ? 2 : q < 5 ? 1 : 0);
  return {
    impl: {
      CountItems: () => stock.length,
      FindItem(name: string) {
        const item = stock.find((s) => s.name === name) ?? raise(RPC_S_OBJECT_NOT_FOUND);
        return { info: { ...item, level: levelOf(item.quantity) } };
      },
      Reserve(id: number, quantity: number) {
        const item = stock.find((s) => s.id === id) ?? raise(RPC_S_OBJECT_NOT_FOUND);
        if (quantity < 0 || item.quantity < quantity) raise(ERROR_NOT_ENOUGH_QUOTA);
        item.quantity -= quantity;
        return item.quantity;
      },
      async StockValue(ms: number) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
        return stock.reduce(
          (sum, s) => sum + BigInt(Math.floor(s.price * 100 + 0.5)) * BigInt(s.quantity),
          0n,
        );
      },
      Shutdown() {
        control.shutdown();
      },
    },
  };
};
export default inventory;
