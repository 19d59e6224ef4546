/** Which tasks a parked execution's callbacks read, and when they decide, as a unit (parkedTasks.ts). */
import type { MaxApiTask } from '../../../nodes/shared/task';
import { ParkedTasks } from '../../../nodes/MaxApi/wait/parkedTasks';

/**
 * An API whose tasks in `ended` have finished. Each read() is one round: its task IDs are logged, and
 * with `holdRounds` the round answers (as of when it was sent) only once `release()` is called.
 */
function api(ended: Set<string>, { holdRounds = false } = {}) {
	const rounds: string[][] = [];
	const held: Array<() => void> = [];
	const read = async (taskIds: string[], onRead: (task: MaxApiTask) => void) => {
		rounds.push([...taskIds].sort());
		const answers = taskIds.map((taskId) => ({
			taskId,
			status: ended.has(taskId) ? 'SUCCESS' : 'PROCESSING',
		}));
		if (holdRounds) await new Promise<void>((resolve) => held.push(resolve));
		for (const task of answers) onRead(task);
	};
	const release = async () => {
		held.shift()?.();
		await new Promise((resolve) => setImmediate(resolve));
	};
	return { read, rounds, release };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
const inOrder = () => 0.999_999; // probes in the order of the task IDs

describe('ParkedTasks', () => {
	test('a callback reads its task and one silent task together, and stops when that one runs', async () => {
		const { read, rounds } = api(new Set(['t0']));
		const parked = new ParkedTasks(ids(3), [], inOrder);
		expect(parked.noteCallback('t0')).toBe('check');
		expect(await parked.check(read)).toBe(false);
		expect(rounds).toEqual([['t0', 't1']]);
		expect([...parked.finished.keys()]).toEqual(['t0']);
	});

	test('a callback about a task known to have finished reads nothing', async () => {
		// MaxAPI calling again after n8n refused it (409) while the execution still ran: nothing new.
		const parked = new ParkedTasks(ids(2), [{ taskId: 't0', status: 'SUCCESS' }], inOrder);
		expect(parked.noteCallback('t0')).toBe('noted');
	});

	test('each callback learns its own task, so the last one reads only its own', async () => {
		const ended = new Set<string>();
		const { read, rounds } = api(ended);
		const parked = new ParkedTasks(ids(10), [], inOrder);
		for (const id of ids(9)) {
			ended.add(id);
			expect(parked.noteCallback(id)).toBe('check');
			expect(await parked.check(read)).toBe(false);
		}
		rounds.length = 0;
		ended.add('t9');
		parked.noteCallback('t9');
		expect(await parked.check(read)).toBe(true);
		expect(rounds).toEqual([['t9']]);
	});

	test('callbacks that come while a check reads are answered at once and read in its next round', async () => {
		const ended = new Set(['t0']);
		const { read, rounds, release } = api(ended, { holdRounds: true });
		const parked = new ParkedTasks(ids(4), [], inOrder);
		parked.noteCallback('t0');
		const checking = parked.check(read);
		for (const id of ['t1', 't2']) {
			ended.add(id);
			expect(parked.noteCallback(id)).toBe('noted');
		}
		await release(); // round 1 (t0 and the probe t1) answers as it was sent: t1 running
		ended.add('t3');
		expect(parked.noteCallback('t3')).toBe('noted');
		await release(); // round 2: t1 and t2 (hints), and the probe t3 (sent before t3 ended)
		await release(); // round 3: t3 (its hint)
		expect(await checking).toBe(true);
		expect(rounds).toEqual([['t0', 't1'], ['t1', 't2', 't3'], ['t3']]);
	});

	test("a read sent before a task's callback came that answers 'running' does not hold up the last callback", async () => {
		// As seen in a real n8n: a's callback reads y; y ends and its callback comes while that read is on
		// its way; the read answers "running".
		const ended = new Set(['a']);
		const { read, release } = api(ended, { holdRounds: true });
		const parked = new ParkedTasks(['a', 'y'], [], inOrder);
		parked.noteCallback('a');
		const aCallback = parked.check(read);
		ended.add('y');
		expect(parked.noteCallback('y')).toBe('noted');
		await release(); // y: running, as of when the read was sent
		await release(); // y again, for its callback
		expect(await aCallback).toBe(true);
	});

	test('callbacks that went to another process: the last one here reads the rest in rounds of 1, 2, 4…', async () => {
		const all = ids(30);
		const { read, rounds } = api(new Set(all));
		const parked = new ParkedTasks(all, [], inOrder);
		parked.noteCallback('t0');
		expect(await parked.check(read)).toBe(true);
		expect(rounds.map((round) => round.length)).toEqual([2, 2, 4, 8, 14]);
		expect(rounds.flat()).toHaveLength(30);
	});

	test('a callback whose task the API shows running changes nothing (forged, or ahead of the API)', async () => {
		const { read } = api(new Set(['t1']));
		const parked = new ParkedTasks(ids(2), [], inOrder);
		parked.noteCallback('t0');
		expect(await parked.check(read)).toBe(false);
		expect(parked.allFinished).toBe(false);
		expect([...parked.finished.keys()]).toEqual(['t1']);
	});

	test('a failed read ends the check; the hints it had not confirmed are read by the next', async () => {
		const parked = new ParkedTasks(ids(3), [], inOrder);
		parked.noteCallback('t2');
		const failing = async () => {
			throw new Error('MaxAPI is down');
		};
		await expect(parked.check(failing)).rejects.toThrow('MaxAPI is down');
		const { read, rounds } = api(new Set(ids(3)));
		parked.noteCallback('t1');
		expect(await parked.check(read)).toBe(true);
		// t2's hint, kept from the failed read, with t1's and the probe t0: one round.
		expect(rounds).toEqual([['t0', 't1', 't2']]);
	});

	test('a callback that comes while a round reads its task (finished) is not read again', async () => {
		const { read, rounds, release } = api(new Set(['t0', 't1']), { holdRounds: true });
		const parked = new ParkedTasks(ids(3), [], inOrder);
		parked.noteCallback('t0');
		const checking = parked.check(read);
		expect(parked.noteCallback('t1')).toBe('noted'); // t1 is round 1's probe
		await release(); // round 1: t0 and t1 finished
		await release(); // round 2: the probe t2 only, running
		expect(await checking).toBe(false);
		expect(rounds).toEqual([['t0', 't1'], ['t2']]);
	});

	test('silent tasks are probed in a random order, so that processes probe different ones', async () => {
		const probed = async (random: () => number) => {
			const { read, rounds } = api(new Set(ids(3)));
			expect(await new ParkedTasks(ids(3), [], random).check(read)).toBe(true);
			return rounds;
		};
		// A Fisher-Yates shuffle of t0 t1 t2: random() 0 picks the first of those left, 0.5 the middle.
		expect(await probed(() => 0)).toEqual([['t1'], ['t0', 't2']]);
		expect(await probed(() => 0.5)).toEqual([['t0'], ['t1', 't2']]);
	});

	test('afterFirstRound runs when more rounds follow the first, not when the first decides', async () => {
		const answered = jest.fn();
		const decides = new ParkedTasks(ids(3), [], inOrder);
		decides.noteCallback('t0');
		expect(await decides.check(api(new Set(['t0'])).read, { afterFirstRound: answered })).toBe(
			false,
		);
		expect(answered).not.toHaveBeenCalled();

		const goesOn = new ParkedTasks(ids(8), [], inOrder);
		goesOn.noteCallback('t0');
		const { read, rounds } = api(new Set(ids(8)));
		expect(await goesOn.check(read, { afterFirstRound: answered })).toBe(true);
		expect(rounds).toEqual([
			['t0', 't1'],
			['t2', 't3'],
			['t4', 't5', 't6', 't7'],
		]);
		expect(answered).toHaveBeenCalledTimes(1);
	});

	test('a burst of callbacks costs about one read per task', async () => {
		const all = ids(200);
		const ended = new Set<string>();
		const { read, rounds, release } = api(ended, { holdRounds: true });
		const parked = new ParkedTasks(all, [], inOrder);
		// Every task ends and calls back while the first check's rounds are under way, ten per round.
		ended.add('t0');
		parked.noteCallback('t0');
		const checking = parked.check(read);
		for (let i = 1; i < all.length; i++) {
			ended.add(all[i]);
			expect(parked.noteCallback(all[i])).toBe('noted');
			if (i % 10 === 0) await release();
		}
		let decided = false;
		void checking.then(() => (decided = true));
		while (!decided) await release();
		expect(await checking).toBe(true);
		expect(rounds.flat().length).toBeLessThanOrEqual(all.length + rounds.length);
	});

	test('the first round can read every silent task (a small batch, just before parking)', async () => {
		const { read, rounds } = api(new Set(['t0']));
		const parked = new ParkedTasks(ids(3), [], inOrder);
		expect(await parked.check(read, { probes: 3 })).toBe(false);
		expect(rounds).toEqual([['t0', 't1', 't2']]);
	});
});
