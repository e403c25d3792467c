// What bin/run.js starts: oclif is bundled with the commands, so it must come from the bundle too
// (one copy of its classes and settings, shared with every command).
export {execute} from '@oclif/core';
