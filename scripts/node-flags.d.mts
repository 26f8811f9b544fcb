/** The V8 flags a Parley server process of this role runs with (see node-flags.mjs). */
export function nodeFlagsFor(role: string | undefined): string[];
