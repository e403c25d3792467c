// Writes schema/foggy.schema.json (published, for editors) from src/core/catalog/schema.ts, whose checks come
// from the check registry, and compiles it into a standalone validator module, so that running foggy never
// loads or compiles Ajv: the schema stays the single source of truth. Runs under tsx (npm run build).
import {writeFileSync} from 'node:fs';
import {Ajv} from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import {catalogSchema} from '../src/core/catalog/schema.ts';

const schema = catalogSchema();
writeFileSync(new URL('../schema/foggy.schema.json', import.meta.url), JSON.stringify(schema, null, 2) + '\n');
const ajv = new Ajv({allErrors: true, verbose: true, strict: false, code: {source: true, esm: true}});
let code = standaloneCode.default(ajv, ajv.compile(schema));
// Ajv's ESM output still calls require() for its runtime helpers: turn those into imports.
const imports = [];
code = code.replaceAll(/require\("([^"]+)"\)/g, (_, module) => {
  const name = `runtime${imports.length}`;
  // Default-importing a CJS module gives module.exports under Node, but exports.default under
  // TypeScript-style interop (tsx): accept both shapes.
  imports.push(`import ${name}_ from ${JSON.stringify(module + '.js')};\nconst ${name} = typeof ${name}_ === 'function' ? {default: ${name}_} : ${name}_;`);
  return name;
});
code = code.replace('"use strict";', '');
const target = new URL('../src/core/catalog/catalog-validator.generated.ts', import.meta.url);
writeFileSync(target, `// @ts-nocheck\n// Generated from schema/foggy.schema.json by scripts/compile-schema.js (npm run build). Do not edit.\n${imports.join('\n')}\n${code}\n`);
console.error('wrote src/core/catalog/catalog-validator.generated.ts');
