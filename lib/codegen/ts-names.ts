// Identifiers in generated TypeScript: IDL names are kept as written wherever TS
// allows them (methods, properties, types), and only parameter names, which become
// bindings, avoid reserved words (`[in] Point3 *in` is a valid IDL parameter).
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with as implements interface let package private protected ' +
    'public static yield await arguments eval options'
  ).split(' '),
);

/** A parameter name usable as a binding; `options` is taken by the call options. */
export function paramIdentifier(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

/** `calc` -> `Calc`, `my_iface` -> `MyIface`: the stem of generated class names. */
export function pascalCase(name: string): string {
  return name
    .split(/[_\W]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
