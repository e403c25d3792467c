// restart: stop the database if it runs, start it again, and wait until it accepts connections.
import {dbPidFile, dbPort as port} from '../state.js';
import {startDetached, stop, waitForPort} from '../processes.js';

if (stop(dbPidFile)) {
  console.log('stopped the database');
  await waitForPort(port, false);
}
const pid = startDetached('db.js', dbPidFile);
console.log(`started the database (pid ${pid})`);
if (!(await waitForPort(port, true))) {
  console.error(`the database did not open port ${port} within 5s`);
  process.exit(1);
}
console.log(`database is accepting connections on 127.0.0.1:${port}`);
