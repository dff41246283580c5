// Entry of the compare webview (bundled to dist/webview/compare.js): connects to the host, reports
// problems (exceptions, anything the Content Security Policy blocks) to its log, and says it is ready.
import './zod-config';
import { CompareApp } from './app';
import { StateStore } from './state';
import './styles.css';
import { connect } from './vscode-api';

const host = connect();
const root = document.getElementById('app');
if (!root) throw new Error('the page has no #app element');
const app = new CompareApp(root, host, new StateStore(host));

window.addEventListener('message', (event: MessageEvent) => app.receive(event.data));
document.addEventListener('securitypolicyviolation', (event) =>
  host.post({ type: 'problem', message: `the Content Security Policy blocked ${event.blockedURI || 'inline code'} (${event.violatedDirective}) at ${event.sourceFile}:${event.lineNumber}` }),
);
window.addEventListener('error', (event) => app.fail('Something went wrong in this panel', `${event.message} (${event.filename}:${event.lineno})`));
window.addEventListener('unhandledrejection', (event) => app.fail('Something went wrong in this panel', String(event.reason)));
host.post({ type: 'ready' });
