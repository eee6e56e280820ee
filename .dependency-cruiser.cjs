// The layer rules of CONVENTIONS.md (§2 one folder per capability with index.ts as its face; §3 layers
// point one way: api and cli → capabilities → store), checked in CI with
//   npx depcruise src --config .dependency-cruiser.cjs
/** Capability folders under src/. A new capability must be added here to be held to the rules. */
const CAPABILITIES = [
  'access',
  'audit',
  'catalogue',
  'console',
  'demo',
  'due-process',
  'identity',
  'ingest',
  'lists',
  'lookup',
  'maintain',
  'measures',
  'objections',
  'outbox',
  'ratings',
  'repairs',
  'rights',
  'scoring',
  'sources',
  'subjects',
  'supervision',
];
const CAP = `(${CAPABILITIES.join('|')})`;
/** Frameworks and database drivers the domain must not know about (resolved, or unresolved names). */
const INFRASTRUCTURE = '(fastify|@fastify/[^/]+|commander|better-sqlite3|pg|pg-[^/]+|kysely)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'store-imports-capability',
      severity: 'error',
      comment: 'The store is the bottom layer: it never imports a capability, the API or the CLI.',
      from: { path: '^src/store/' },
      to: { path: [`^src/${CAP}/`, '^src/(api|cli)/'] },
    },
    {
      name: 'capability-imports-outer-layer',
      severity: 'error',
      comment:
        'Capabilities hold the domain: no HTTP, CLI or database driver. Talk to the store through its interface.',
      from: { path: `^src/${CAP}/` },
      to: {
        path: [
          '^src/(api|cli)/',
          `(^|/)node_modules/(@types/)?${INFRASTRUCTURE}/`,
          `^${INFRASTRUCTURE}$`, // unresolvable module names
        ],
      },
    },
    {
      name: 'capability-internals',
      severity: 'error',
      comment: 'Another capability is reached only through its index.ts, never a file inside it.',
      from: { path: `^src/${CAP}/`, pathNot: '\\.test\\.ts$' },
      to: {
        path: `^src/${CAP}/`,
        // $1 is the importing file's own capability: its own files are fair game.
        pathNot: ['^src/$1/', `^src/${CAP}/index\\.ts$`],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular dependencies blur the layers and break module initialisation order.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-imports-nothing',
      severity: 'error',
      comment: 'src/shared is the leaf everyone may use; it imports nothing else from src.',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Count type-only imports too: a type leak across layers is still a leak.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
