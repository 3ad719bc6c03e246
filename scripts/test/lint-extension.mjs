// Runs Mozilla's add-on linter on a built extension, offline, and fails on
// any error or warning: what the store would flag, we fix first.
//
//   node scripts/test/lint-extension.mjs dist/firefox
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { default: webExt } = await import(require.resolve('web-ext'));

const sourceDir = path.resolve(process.argv[2] ?? 'dist/firefox');
const result = await webExt.cmd.lint(
  { sourceDir, output: 'json', selfHosted: false, boring: true, warningsAsErrors: false },
  { shouldExitProgram: false },
);
const { errors = [], warnings = [], notices = [] } = result ?? {};
for (const m of [...errors, ...warnings]) {
  console.log(`${m._type}: ${m.code}: ${m.message} ${m.file ?? ''}`);
}
console.log(`web-ext lint: ${errors.length} errors, ${warnings.length} warnings, ${notices.length} notices`);
process.exit(errors.length + warnings.length > 0 ? 1 : 0);
