// Scopes while resolving: the names each level declares (built-ins, an imported file, the
// file, an interface), what was skipped, and the not-yet-final type (RType) they hold.
import { cSizeofName, sizeofTypeName } from './c-sizeof.js';
import type { IdlError, IdlWarning, SourceLocation } from './errors.js';
import type { IdlExpr, IdlNamedType, IdlRange, PointerKind, PrimitiveName } from './model.js';
import { isBuiltinFile } from './sdk-files.js';

/**
 * While resolving, a pointer's kind may still be open: a typedef'd pointer without an
 * attribute takes [ref] as a top-level parameter and pointer_default elsewhere.
 */
export type RType =
  | { kind: 'void' }
  | { kind: 'primitive'; name: PrimitiveName; alias?: string; range?: IdlRange }
  | { kind: 'named'; name: string; switchIs?: IdlExpr; range?: IdlRange }
  | { kind: 'context_handle'; alias?: string; strict?: boolean; typeStrict?: boolean }
  | { kind: 'int3264'; unsigned: boolean; alias?: string }
  | { kind: 'pointer'; pointer?: PointerKind; target: RType; alias?: string; arrayParam?: true }
  | {
      kind: 'array';
      element: RType;
      size: { fixed: number } | { is: IdlExpr } | { open: true };
      length?: IdlExpr;
      first?: IdlExpr;
      sizeRange?: IdlRange;
    }
  | {
      kind: 'string';
      char: 'char' | 'wchar_t';
      size?: { fixed: number } | { is: IdlExpr };
      range?: IdlRange;
    };

/** One level of names: built-ins, an imported file, the file's top level, an interface. */
export class Scope {
  readonly aliases = new Map<string, RType>();
  readonly named = new Map<string, IdlNamedType>();
  readonly tags = new Map<string, string>(); // struct/enum tag -> named type name
  readonly consts = new Map<string, number | string>();
  /** Typedef names declared with [handle] (generic binding handles). */
  readonly genericHandles = new Set<string>();
  /** Interface names (`IUnknown`): a type only as an interface pointer, which winrpc cannot send. */
  readonly interfaces = new Set<string>();
  /**
   * Names a typedef gave a struct or enum before its body (`typedef struct _V V;`,
   * [MS-NSPI] PropertyValue_r): usable by name until the body follows.
   */
  readonly forwardNames = new Set<string>();
  /** Object (COM) interfaces skipped here: an interface deriving from one is COM too. */
  readonly comInterfaces = new Set<string>();
  /**
   * Names (and `struct X`-style tags) whose declaration winrpc skipped, with why: refused
   * where they are used, never where they are declared.
   */
  readonly unavailable = new Map<string, IdlError>();
  /** What was skipped, for IdlModel.warnings: one list shared by every scope of a file. */
  readonly warnings: IdlWarning[];
  constructor(readonly parent?: Scope) {
    this.warnings = parent ? parent.warnings : [];
  }

  /** Records a warning, except for winrpc's own declarations (the prelude, SDK files). */
  warn(message: string, loc: SourceLocation): void {
    if (!isBuiltinFile(loc.file)) this.warnings.push({ message, loc });
  }

  /** What a type name means here, innermost scope first. */
  lookupType(
    name: string,
  ):
    | { kind: 'alias'; type: RType }
    | { kind: 'named' }
    | { kind: 'unavailable'; error: IdlError }
    | { kind: 'interface' }
    | undefined {
    const alias = this.aliases.get(name);
    if (alias) return { kind: 'alias', type: alias };
    if (this.named.has(name)) return { kind: 'named' };
    const error = this.unavailable.get(name);
    if (error) return { kind: 'unavailable', error };
    if (this.interfaces.has(name)) return { kind: 'interface' };
    return this.parent?.lookupType(name);
  }
  lookupUnavailable(key: string): IdlError | undefined {
    return this.unavailable.get(key) ?? this.parent?.lookupUnavailable(key);
  }

  isForwardName(name: string): boolean {
    return this.forwardNames.has(name) || !!this.parent?.isForwardName(name);
  }

  isComInterface(name: string): boolean {
    return this.comInterfaces.has(name) || !!this.parent?.isComInterface(name);
  }

  isGenericHandle(name: string): boolean {
    return this.genericHandles.has(name) || !!this.parent?.isGenericHandle(name);
  }

  lookupAlias(name: string): RType | undefined {
    return this.aliases.get(name) ?? this.parent?.lookupAlias(name);
  }
  lookupNamed(name: string): IdlNamedType | undefined {
    return this.named.get(name) ?? this.parent?.lookupNamed(name);
  }
  lookupTag(tag: string): string | undefined {
    return this.tags.get(tag) ?? this.parent?.lookupTag(tag);
  }
  lookupConst(name: string): number | string | undefined {
    return this.consts.get(name) ?? this.parent?.lookupConst(name);
  }
  /** Every named type visible here, outermost scope first. */
  allNamed(): IdlNamedType[] {
    return [...(this.parent?.allNamed() ?? []), ...this.named.values()];
  }
  allAliases(): [string, RType][] {
    return [...(this.parent?.allAliases() ?? []), ...this.aliases];
  }
  allConsts(): [string, number | string][] {
    return [...(this.parent?.allConsts() ?? []), ...this.consts];
  }
}

export function numericConst(scope: Scope, name: string): number | undefined {
  const sized = sizeofTypeName(name);
  if (sized !== undefined) return cSizeofName(scope, sized);
  const v = scope.lookupConst(name);
  return typeof v === 'number' ? v : undefined;
}
