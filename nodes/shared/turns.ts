/**
 * A queue per key, so that copies of one callback arriving together take turns: n8n gives webhook() no
 * lock, and copies that overlap would each decide before any has recorded what it did.
 */
export class Turns {
	private readonly queues = new Map<string, Promise<unknown>>();

	/** Runs `work` once every earlier call for the same key has finished, failed or not. */
	async inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
		const before = this.queues.get(key) ?? Promise.resolve();
		const mine = before.then(work, work);
		const settled = mine.then(
			() => undefined,
			() => undefined,
		);
		this.queues.set(key, settled);
		void settled.then(() => {
			if (this.queues.get(key) === settled) this.queues.delete(key);
		});
		return await mine;
	}
}
