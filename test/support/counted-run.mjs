// bin/run.js as the tests start it: the same CLI, each start noted in the file FOGGY_TEST_PROCESS_LOG names
// (npm test counts them: a run of the suite keeps its processes few). A background flush this process
// starts runs through here too, since it re-runs its own script.
import {appendFileSync} from 'node:fs';

try {
  if (process.env.FOGGY_TEST_PROCESS_LOG) appendFileSync(process.env.FOGGY_TEST_PROCESS_LOG, `${process.pid} ${process.argv.slice(2).join(' ')}\n`);
} catch {
  // A test that takes the file system away (a read-only mount, another user): the run itself is the point.
}
await import('../../bin/run.js');
