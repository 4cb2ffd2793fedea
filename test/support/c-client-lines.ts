// What the MIDL-style C clients (test/clients) print against a server that behaves as
// its C twin in test/servers does: one line per call, pinned by the tests that run them
// (c-clients.test.ts, js-server-successive-workers.test.ts).

export const CALC_VALUES = [
  'Add 2 3 -> 5',
  'Add 2147483647 1 -> -2147483648',
  'Divide 17 5 -> 3 remainder 2',
  'Divide -17 5 -> -3 remainder -2',
  'Divide 1 0 -> status 1767',
  'Fail 1783 -> status 1783',
  'Fail 5 -> status 5',
  'Delay 20 -> 20',
];

// types.idl's transforms: integers + 1 wrapping, floats negated, enums to the next.
export const TYPES_VALUES = [
  'EchoBoolean 1 -> 1',
  'InOutByte 255 -> 0',
  'OutSmall 127 -> -128',
  'OutShort -2 -> -1',
  'EchoLong -123456 -> -123456',
  'InOutLong 2147483647 -> -2147483648',
  'OutHyper 9223372036854775806 -> 9223372036854775807',
  'OutWchar 0x263a -> 0x263b',
  'EchoFloat 1.5 -> 1.5',
  'InOutDouble 0.25 -> -0.25',
  'InOutShape 9 -> 0',
  'OutLevel 100000 -> -1',
  'MixedArgs 1 2.5 3.5 4 5.25 6 7.75 -> 30',
  'StringLengthA hello -> 5 sum 532',
  'StringLengthW h\\u00e9\\u263a -> 3 sum 10123',
  'ShoutA shout -> SHOUT!',
  'ShoutW quiet (no room) -> QUIET',
  'UniqueOrDefault NULL 9 -> 9',
  'UniqueOrDefault 5 9 -> 5',
  'UniqueStringLength NULL 7 -> 7',
  'UniqueStringLength abcd 7 -> 4',
  'TransformPoint -1 4294967296 2.5 32767 a -> 0 4294967297 -2.5 -32768 b',
  'SumLongs 1 -2 2147483647 2147483647 -> 4294967293',
  'SumLongs (none) -> 0',
  'FillLongs 5 3 -> 3: 1 4 7',
  'ScaleDoubles 1 -0.5 3 by 4 -> 4 -2 12',
];

// Full pointers keep aliasing both ways: one Box sent twice, one Box received twice.
export const POINTERS_VALUES = [
  'Deref2 7 -> 7',
  'Deref2 NULL -> -1',
  'MakePtrPtr 42 -> 42',
  'MakePtrPtr 0 -> NULL',
  'SameTarget one one -> 1',
  'SameTarget one other -> 0',
  'SameTarget one NULL -> -1',
  'MakePair 5 0 -> 5 6 two objects',
  'MakePair 5 1 -> 5 5 one object',
];

// Generic handles: the stub binds through SERVER_NAME_bind and sends the name itself.
export const GENERIC_VALUES = [
  'NameLength server\\u00e9 41 -> 42 length 7',
  'NameLength NULL 1 -> 2 length -1',
  'LateName 7 zed -> 122007',
];

export const SESSIONS_USE = [
  'OpenCounter 10 -> handle',
  'NextValue -> 10',
  'NextValue -> 11',
  'OpenCounterRet -3 -> handle',
  'NextValue -> -3',
  'NextValue first -> 12',
  'OpenCounters -> 2',
  'CloseCounter -> NULL',
  'OpenCounters -> 1',
  'CloseCounter -> NULL',
];

// arrays.idl's transforms: reversed, summed, doubled, negated, transposed, upper-cased.
export const ARRAYS_VALUES = [
  'ReverseFour 1 2 3 4 -> 4 3 2 1',
  'SumVarying 10 20 30 -> 60',
  'FillVarying 5 -> 5: 0 10 20 30 40',
  'Trace 1..9 -> 15',
  'Transpose 1..6 -> 1 4 / 2 5 / 3 6',
  'SumWindow 5 3 1 2 3 -> 6005',
  'GrowWindow 4 2 5 6 -> 3: 10 12 -1',
  'NegateWindow 4 2 5 -6 -> -5 6',
  'SumFive 1..5 -> 15',
  'ReverseParam 1 2 3 4 -> 4 3 2 1',
  'Squares -> 0 1 4 9 16 25',
  'SumFirst 3 of 1 2 3 100.. -> 6',
  'SumAll 4 1 2 3 4 -> 10',
  'TraceParam 1..9 -> 15',
  'SumOrMinusOne 4 1 2 3 4 -> 10',
  'SumOrMinusOne NULL -> -1',
  'TotalLength ab NULL cde -> 5 nulls 1',
  'MakeNames 4 -> item 0 item 1 NULL item 3',
  'SuffixNames ab NULL c -> AB NULL C',
];

// structs.idl's transforms: incremented, reversed, doubled, upper-cased, summed.
export const STRUCTS_VALUES = [
  'EchoFixed 7 1 2 3 abyz 2^40 -> 8 3 2 1 ABYZ 2199023255552',
  'SumCounted 1 2 3 4 -> 10',
  'DoubleCounted 1 2 3 4 -> 2 4 6 8',
  'MakeCounted 4 -> 4: 0 1 4 9',
  'MakeCounted -1 -> NULL',
  'SumWindow 5 2 3 4 -> 7005',
  'LabelLength abc -> 3 sum 294',
  'ReverseLabel abc -> cba',
  'DescribeRecord full -> 7 units 3',
  'DescribeRecord bare -> 0 units 0',
  'NextRecord full -> 4 42 rec! 10 101',
  'MakeRecord 4 -> 4 4 record 4 40 4',
  'SumBoxes full bare x -> 18',
  'NextOuter -> 2 b 8589934593 -1 8 1.75 z',
  'SumInners 10+1 20-3 -> 28',
  'MakeInners 3 -> a 0 0 / b 1000000000000 -1 / c 2000000000000 -2',
  'Ranged 100 -> 100',
  'BoundedValue 42 -> 42',
  'MakeBounded 7 -> 7',
  'WideValue 32767 -> 32767',
];

// unions.idl's transforms: each arm's value, the next arm, areas, a made shape.
export const UNIONS_VALUES = [
  'NumberValue 1 i=7 -> 7',
  'NumberValue 2 d=2.5 -> 2.5',
  'NumberValue 4 h=2^40 -> 1.09951e+12',
  'NumberValue 9 (default) -> 0',
  'NextNumber 3 h=5 -> 7 (default)',
  'NextNumber 9 default -> 1 i=1',
  'ShapeArea circle 2 -> 12',
  'ShapeArea square 1.5 -> 2.25',
  'ShapeArea default -> -1',
  'MakeShape 3 -> kind 2 side 3',
  'MakeShape -4 -> kind 1 radius 4',
  'TwicePtrSized 21 -5 -> 42 -4',
];
