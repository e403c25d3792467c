// npm puts node_modules/.bin first on PATH, so the `node` devDependency runs the scripts.
// Fail loudly if that ever stops being true: tests on an unsupported runtime prove nothing.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`npm test needs Node.js 22 or newer, found ${process.version}. Run "npm ci" to install the pinned runtime.`);
  process.exit(2);
}
console.error(`node ${process.version}`);
