// A static re-export, imported lazily by api.ts: bundled, a CommonJS package that is itself imported
// dynamically only keeps a default export, while a static import keeps its named ones.
export {WebClient} from '@slack/web-api';
