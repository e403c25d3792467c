// deploy: switch the site to a new font. Receives the font as one argument, whatever it contains.
import {writeFileSync} from 'node:fs';
import {fontFile} from '../state.js';

const font = process.argv[2];
if (!font) {
  console.error('usage: set-font.js FONT   (foggy deploy web --ref "FONT")');
  process.exit(64);
}
console.log(`building Hello World with font "${font}"…`);
writeFileSync(fontFile, font + '\n');
console.log('switched the site to the new build');
