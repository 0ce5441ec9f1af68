// Writes docs/errors.md from the code tables of every package (src/errors/codes.ts, each export
// whose name ends in "ErrorCodes"), so the reference can never drift from the code.
// `--check` fails when the committed file is out of date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { workspacePackages } from './lib/workspace.mjs';

const root = process.cwd();
const target = join(root, 'docs', 'errors.md');
// Dependency order: core's codes first, then each package after the packages it builds on.
const packages = workspacePackages(root)
  .map((pkg) => pkg.short)
  .filter((name) => existsSync(join(root, 'packages', name, 'src', 'errors', 'codes.ts')));

let doc = `# Errors reference

Every failure in Interop is an error object with a stable \`code\` (part of semver: never renamed,
never reused), structured \`details\` (\`operation\`, \`liveExports\`, \`requestedFlags\`, \`position\`,
\`dimension\`...) and a message that says what was asked, what was found and what to do.

- Test for a family with its \`isInstance\` (e.g. \`BufferError.isInstance(error)\`): it recognises
  errors thrown by another copy of the package too (version skew, plugins).
- Test for \`code\`, never for message text.
- Every error class extends \`InteropError\` from \`@interop/core\`; \`InteropError.isInstance\` matches them all.
- The kinds of failure that cut across packages have one code each, listed once under
  "Shared codes": any family can carry them (a closed stream and a released view both say
  \`ERR_BUFFER_RELEASED\`). Each package lists only its own domain codes. A package's error class
  is made by \`defineErrorFamily\` from \`@interop/core\`; a plugin can make its own the same way.
- Tests can assert both at once with \`expectErrorCode(action, code, { family })\` from \`@interop/core/testing\`.

This file is generated from each package's \`src/errors/codes.ts\` by \`pnpm errors:docs\`; CI fails
when it is out of date.
`;

for (const name of packages) {
  const module = await import(pathToFileURL(join(root, 'packages', name, 'src', 'errors', 'codes.ts')).href);
  const tables = Object.entries(module)
    .filter(([key, value]) => key.endsWith('ErrorCodes') && typeof value === 'object' && value !== null)
    .sort(([a], [b]) => Number(b === 'sharedErrorCodes') - Number(a === 'sharedErrorCodes'));
  if (tables.length === 0) continue;
  doc += `\n## @interop/${name}\n`;
  for (const [key, table] of tables) {
    if (key === 'sharedErrorCodes') {
      doc += `\n### Shared codes (every error family)\n\n| code | meaning |\n|---|---|\n`;
      for (const [code, meaning] of Object.entries(table)) doc += `| \`${code}\` | ${String(meaning).replaceAll('|', '\\|')} |\n`;
      continue;
    }
    const family = key.replace(/ErrorCodes$/, '');
    const className = `${family.charAt(0).toUpperCase()}${family.slice(1)}Error`;
    doc += `\n### ${className}\n\n| code | meaning |\n|---|---|\n`;
    for (const [code, meaning] of Object.entries(table)) doc += `| \`${code}\` | ${String(meaning).replaceAll('|', '\\|')} |\n`;
  }
}

if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== doc) {
    console.error('docs/errors.md is out of date: run `pnpm errors:docs` and commit the result.');
    process.exit(1);
  }
  console.log('docs/errors.md is current.');
} else {
  writeFileSync(target, doc);
  console.log(`wrote ${target}`);
}
