// An environment for a child process: base with overrides, where an override replaces
// every spelling of its name. Windows names are case-insensitive, but a copied env is a
// plain object: `{ ...process.env, npm_config_node_gyp: x }` can hold both that and an
// inherited NPM_CONFIG_NODE_GYP (vitest's workers pass it so), and the child sees one of
// them, not necessarily the override.
export function envWith(overrides, base = process.env) {
  const replaced = new Set(Object.keys(overrides).map((name) => name.toUpperCase()));
  const env = {};
  for (const [name, value] of Object.entries(base)) {
    if (!replaced.has(name.toUpperCase())) env[name] = value;
  }
  return { ...env, ...overrides };
}
