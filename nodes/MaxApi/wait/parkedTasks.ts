/**
 * What one n8n process knows of the tasks of one parked execution, and which callback reads for them.
 *
 * n8n runs an execution's callbacks side by side (in queue mode on any webhook process), and loads the
 * whole execution for each of them, so a callback should end at once: in each process one callback at a
 * time reads for all (the checker), the others leave their task ID as a hint and are answered.
 *
 * The API is the judge; a callback's claims are not trusted. The checker reads round after round: the
 * hinted tasks (most likely finished) and a few silent ones, the probes (the likely runners). It stops
 * when the API has shown every task finished (resume), or when a probe is still running and no callback
 * came during the round: that task calls back when it ends, and its callback checks again. A callback
 * that comes while a round is under way is read in the next round, so a read sent before a task ended
 * never hides that task's callback. Probes double while they come back finished, so tasks whose
 * callbacks went to another process, came before the execution was parked, or were lost are read too:
 * the callback of the task that ends last reads whatever this process has not yet seen finished.
 */
import { isTerminalStatus, type MaxApiTask } from '../../shared/task';

/** Reads the tasks, calling `onRead` with each as its answer comes; rejects if a read fails. */
export type ReadTasks = (taskIds: string[], onRead: (task: MaxApiTask) => void) => Promise<void>;

export class ParkedTasks {
	/** Tasks the API has shown finished; a finished task stays finished, so it is never read again. */
	readonly finished = new Map<string, MaxApiTask>();
	/** Tasks whose callbacks came here and that no read has shown finished yet. */
	private readonly hinted = new Set<string>();
	/** The order in which silent tasks are probed: random, so that processes probe different tasks. */
	private readonly probeOrder: string[];
	private probes = 1;
	private checking = false;

	constructor(
		private readonly taskIds: string[],
		finishedAtParking: MaxApiTask[] = [],
		random: () => number = Math.random,
	) {
		for (const task of finishedAtParking) this.finished.set(String(task.taskId), task);
		this.probeOrder = [...taskIds];
		// Stryker disable next-line EqualityOperator: at i = 0 the shuffle could only swap the first with itself
		for (let i = this.probeOrder.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[this.probeOrder[i], this.probeOrder[j]] = [this.probeOrder[j], this.probeOrder[i]];
		}
	}

	get allFinished(): boolean {
		return this.taskIds.every((taskId) => this.finished.has(taskId));
	}

	/**
	 * A callback about `taskId` came. 'check': this callback is to read (no other reads here now);
	 * 'noted': the callback brings nothing to read now (its task is known finished, or the checker will
	 * read it in its next round) and can be answered at once.
	 */
	noteCallback(taskId: string): 'check' | 'noted' {
		if (this.finished.has(taskId)) return 'noted';
		this.hinted.add(taskId);
		return this.checking ? 'noted' : 'check';
	}

	/**
	 * Reads until the API shows every task finished (true), or a probe running with no callback come
	 * meanwhile (false). `probes`: how many silent tasks the first round reads (1 unless said).
	 * `afterFirstRound` runs once, when the first round has been read and more follow. A failed read
	 * ends the check (rejects); hints not yet confirmed are kept for the next one.
	 */
	async check(
		read: ReadTasks,
		{ probes, afterFirstRound }: { probes?: number; afterFirstRound?: () => void } = {},
	): Promise<boolean> {
		this.checking = true;
		this.probes = Math.max(probes ?? this.probes, 1);
		try {
			// Stryker disable next-line UpdateOperator: only the first round is told apart from the others
			for (let round = 1; ; round++) {
				if (this.allFinished) return true;
				const hinted = [...this.hinted].filter((taskId) => !this.finished.has(taskId));
				const probes = this.probeOrder
					.filter((taskId) => !this.finished.has(taskId) && !this.hinted.has(taskId))
					.slice(0, this.probes);
				this.hinted.clear();
				let answered = false;
				try {
					await read([...hinted, ...probes], (task) => {
						if (isTerminalStatus(String(task.status))) this.finished.set(String(task.taskId), task);
					});
					answered = true;
				} finally {
					// A failed round: its hints are kept for the next check (which skips those it did read finished).
					if (!answered) for (const taskId of hinted) this.hinted.add(taskId);
				}
				// A hinted task read as running is dropped: the API has not seen it end (a forged callback, or
				// one ahead of the API); its next callback, or a probe, reads it again.
				const aProbeRuns = probes.some((taskId) => !this.finished.has(taskId));
				this.probes = aProbeRuns ? 1 : this.probes * 2;
				if (aProbeRuns && this.hinted.size === 0) return false;
				if (round === 1 && !this.allFinished) afterFirstRound?.();
			}
		} finally {
			this.checking = false;
		}
	}
}
