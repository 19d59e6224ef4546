'use strict';
// Control API under /__emulator/: no auth and not logged, for suites that drive the emulator from another
// process (e.g. real-n8n e2e). Each route calls the emulator method of the same name.
const { sendJson } = require('./respond');

/** Returns handleControl(req, res, pathname, raw); `emulator` is the public object, `advance` brings a task up to date. */
function createControlHandler(state, emulator, advance) {
	return function handleControl(req, res, pathname, raw) {
		switch (`${req.method} ${pathname}`) {
			case 'POST /__emulator/faults':
				try {
					emulator.injectFault(JSON.parse(raw));
					return sendJson(res, 200, { ok: true });
				} catch (err) {
					return sendJson(res, 400, { ok: false, error: err.message });
				}
			case 'GET /__emulator/requests':
				return sendJson(res, 200, state.requests);
			case 'GET /__emulator/callbacks':
				return sendJson(res, 200, state.callbacks);
			case 'GET /__emulator/tasks':
				// Whole records (callBackUrl, user_id included), each brought up to date.
				return sendJson(
					res,
					200,
					[...state.tasks.values()].map((task) => advance(task)),
				);
			case 'POST /__emulator/reset':
				emulator.reset();
				return sendJson(res, 200, { ok: true });
			case 'POST /__emulator/options':
			case 'POST /__emulator/release':
			case 'POST /__emulator/finish':
			case 'POST /__emulator/callback':
				try {
					const body = raw === '' ? {} : JSON.parse(raw);
					const action = pathname.slice('/__emulator/'.length);
					if (action === 'options') emulator.configure(body);
					if (action === 'release')
						return sendJson(res, 200, { ok: true, released: emulator.release() });
					if (action === 'finish') emulator.finishTask(body.taskId, body);
					if (action === 'callback') emulator.deliverCallback(body.taskId);
					return sendJson(res, 200, { ok: true });
				} catch (err) {
					return sendJson(res, 400, { ok: false, error: err.message });
				}
			default:
				return sendJson(res, 404, { ok: false, error: 'not found' });
		}
	};
}

module.exports = { createControlHandler };
