// Pins the API of the generated clients (test/golden): a change in what users type
// against shows up here as a compile error in `tsc` and a failed expectTypeOf.
import { describe, expectTypeOf, it } from 'vitest';
import type { CallOptions, ContextHandle, RpcBinding, RpcInterface } from '../../lib/index.js';
import { CalcClient, calcInterface, type ICalcClient } from '../golden/calc.client.js';
import { type IInventoryClient, type ItemInfo, StockLevel } from '../golden/inventory.client.js';
import type { ISessionsClient } from '../golden/sessions.client.js';
import {
  type Level,
  type Point3,
  type Point3Input,
  Shape,
  type TypesClient,
} from '../golden/types.client.js';
import type { IUnionsClient, NumberInput } from '../golden/unions.client.js';

describe('generated calc client', () => {
  it('has typed methods: [in] parameters, then options', () => {
    expectTypeOf<ICalcClient['Add']>().toEqualTypeOf<
      (a: number, b: number, options?: CallOptions) => Promise<number>
    >();
    expectTypeOf<ICalcClient['Fail']>().toEqualTypeOf<
      (status: number, options?: CallOptions) => Promise<void>
    >();
    expectTypeOf<ICalcClient['Shutdown']>().toEqualTypeOf<(options?: CallOptions) => Promise<void>>();
  });

  it('resolves [out] parameters with returnValue', () => {
    expectTypeOf<ReturnType<ICalcClient['Divide']>>().toEqualTypeOf<
      Promise<{ remainder: number; returnValue: number }>
    >();
  });

  it('is a class over a binding, with the compiled interface', () => {
    expectTypeOf(CalcClient).constructorParameters.toEqualTypeOf<[RpcBinding]>();
    expectTypeOf<CalcClient>().toMatchTypeOf<ICalcClient>();
    expectTypeOf(calcInterface).toEqualTypeOf<RpcInterface>();
    expectTypeOf(CalcClient.interface).toEqualTypeOf<RpcInterface>();
  });
});

describe('generated types client', () => {
  type Client = TypesClient;
  it('maps base types: hyper bigint, characters strings', () => {
    expectTypeOf<Client['EchoHyper']>().toEqualTypeOf<
      (v: bigint | number, options?: CallOptions) => Promise<bigint>
    >();
    expectTypeOf<Client['EchoWchar']>().toEqualTypeOf<
      (v: string | number, options?: CallOptions) => Promise<string>
    >();
    expectTypeOf<Client['EchoBoolean']>().returns.toEqualTypeOf<Promise<boolean>>();
  });

  it('declares enums as const objects; inputs take member names', () => {
    expectTypeOf(Shape.SHAPE_SQUARE).toEqualTypeOf<4>();
    expectTypeOf<Shape>().toEqualTypeOf<0 | 4 | 9>();
    expectTypeOf<Level>().toEqualTypeOf<-1 | 100 | 100000>();
    expectTypeOf<Client['EchoShape']>()
      .parameter(0)
      .toEqualTypeOf<Shape | 'SHAPE_CIRCLE' | 'SHAPE_SQUARE' | 'SHAPE_TRIANGLE'>();
    expectTypeOf<Client['EchoShape']>().returns.toEqualTypeOf<Promise<Shape>>();
  });

  it('declares structs as interfaces, with a wider input variant', () => {
    expectTypeOf<Point3>().toEqualTypeOf<{ x: number; y: bigint; z: number; tag: number; c: string }>();
    expectTypeOf<Point3Input['y']>().toEqualTypeOf<bigint | number>();
    expectTypeOf<Client['TransformPoint']>().toEqualTypeOf<
      (in_: Point3Input, options?: CallOptions) => Promise<{ out: Point3 }>
    >();
  });

  it('types strings, unique pointers, arrays and implied sizes', () => {
    expectTypeOf<Client['UniqueStringLength']>().parameter(0).toEqualTypeOf<string | null>();
    expectTypeOf<Client['SumLongs']>().toEqualTypeOf<
      (n: number | undefined, values: readonly number[], options?: CallOptions) => Promise<bigint>
    >();
    expectTypeOf<Client['FillLongs']>().returns.toEqualTypeOf<Promise<{ len: number; values: number[] }>>();
    expectTypeOf<Client['ShoutW']>().returns.toEqualTypeOf<Promise<{ buf: string }>>();
  });
});

describe('generated inventory client', () => {
  it('resolves an [out] struct with an embedded unique string', () => {
    expectTypeOf<ItemInfo>().toEqualTypeOf<{
      id: number;
      name: string | null;
      price: number;
      quantity: number;
      level: StockLevel;
    }>();
    expectTypeOf<IInventoryClient['FindItem']>().returns.toEqualTypeOf<Promise<{ info: ItemInfo }>>();
    expectTypeOf(StockLevel.STOCK_LOW).toEqualTypeOf<1>();
  });
});

describe('generated sessions client', () => {
  it('types context handles by their IDL typedef, and they dispose asynchronously', () => {
    expectTypeOf<Parameters<ISessionsClient['NextValue']>[0]>().toEqualTypeOf<ContextHandle<'COUNTER'>>();
    expectTypeOf<ReturnType<ISessionsClient['OpenCounterRet']>>().toEqualTypeOf<
      Promise<ContextHandle<'COUNTER'> | null>
    >();
    expectTypeOf<ContextHandle<'OTHER'>>().not.toMatchTypeOf<ContextHandle<'COUNTER'>>();
    expectTypeOf<ContextHandle<'COUNTER'>>().toMatchTypeOf<AsyncDisposable>();
  });
});

describe('generated unions client', () => {
  it('takes a non-encapsulated union with or without `case` (switch_is selects the arm)', () => {
    expectTypeOf<IUnionsClient['NumberValue']>().parameter(1).toEqualTypeOf<NumberInput>();
    expectTypeOf<{ case: 2; d: number }>().toMatchTypeOf<NumberInput>();
    expectTypeOf<{ d: number }>().toMatchTypeOf<NumberInput>();
  });
});
