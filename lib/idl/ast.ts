// The parse tree: syntax only, before names are resolved (the resolve-*.ts files build the model).
import type { SourceLocation } from './errors.js';
import type { IdlExpr } from './model.js';
import type { Token } from './token.js';

export interface AttrAst {
  name: string;
  /** Each argument's tokens (split at top-level commas); an empty list is an empty argument. */
  args: Token[][];
  hasParens: boolean;
  loc: SourceLocation;
}

export type TypeSpecAst =
  | { kind: 'keywords'; words: string[]; loc: SourceLocation }
  | { kind: 'name'; name: string; loc: SourceLocation }
  /** `interface IFoo`: an interface (pointer) type, which winrpc cannot send. */
  | { kind: 'interface'; name: string; loc: SourceLocation }
  /** `pipe T`: a pipe of T (parsed so a file that declares one still compiles; never marshalled). */
  | { kind: 'pipe'; element: TypeSpecAst; loc: SourceLocation }
  | { kind: 'struct'; tag?: string; fields?: FieldAst[]; loc: SourceLocation }
  | { kind: 'enum'; tag?: string; members?: EnumMemberAst[]; loc: SourceLocation }
  | {
      kind: 'union';
      tag?: string;
      arms?: UnionArmAst[];
      /** Encapsulated: `switch (type name) unionName`. */
      switch?: { spec: TypeSpecAst; name: string; unionName?: string; loc: SourceLocation };
      loc: SourceLocation;
    };

/** A union arm: `[case(1, 2)] long a;`, `case 1: case 2: long a;`, `[default] ;`. */
export interface UnionArmAst {
  cases: IdlExpr[];
  isDefault: boolean;
  field?: FieldAst;
  loc: SourceLocation;
}

export interface EnumMemberAst {
  name: string;
  value?: IdlExpr;
  loc: SourceLocation;
}

export interface DeclaratorAst {
  name: string;
  /** One entry per '*', outermost first. */
  pointers: number;
  /** Array dimensions in order; null for `[]` / `[*]`. */
  arrays: (IdlExpr | null)[];
  /** `(*name)(params)`: a C function pointer (parsed, never compiled). */
  functionPointer?: true;
  loc: SourceLocation;
}

export interface FieldAst {
  attrs: AttrAst[];
  spec: TypeSpecAst;
  declarator: DeclaratorAst;
  /** `unsigned long f : 1`: a C bit field (parsed, never compiled). */
  bitWidth?: IdlExpr;
  loc: SourceLocation;
}

export type ParamAst = FieldAst;

export interface ProcedureAst {
  kind: 'procedure';
  attrs: AttrAst[];
  returnSpec: TypeSpecAst;
  returnPointers: number;
  name: string;
  params: ParamAst[];
  loc: SourceLocation;
}

export type DeclAst =
  | {
      kind: 'typedef';
      attrs: AttrAst[];
      spec: TypeSpecAst;
      declarators: DeclaratorAst[];
      loc: SourceLocation;
    }
  | {
      kind: 'const';
      spec: TypeSpecAst;
      declarator: DeclaratorAst;
      value: IdlExpr | string;
      loc: SourceLocation;
    }
  /** A struct/enum definition on its own: `struct X { ... };` */
  | { kind: 'tag'; spec: TypeSpecAst; loc: SourceLocation };

export interface InterfaceAst {
  kind: 'interface';
  name: string;
  /** `interface IRemUnknown : IUnknown`: the interface it derives from (object interfaces). */
  base?: string;
  attrs: AttrAst[];
  items: (DeclAst | ProcedureAst)[];
  loc: SourceLocation;
}

/**
 * Something MIDL accepts that winrpc reads past without compiling it: an interface's
 * forward declaration (`interface IFoo;`, which still names an interface type), or a
 * `library`, `coclass`, `module` or `dispinterface` block (type library content).
 */
export interface SkippedAst {
  kind: 'skipped';
  what: 'forward interface' | 'library' | 'coclass' | 'dispinterface' | 'module';
  name: string;
  loc: SourceLocation;
}

export interface FileAst {
  imports: { path: string; loc: SourceLocation }[];
  items: (DeclAst | InterfaceAst | SkippedAst)[];
}
