import type { MaxApiTask } from '../../../shared/task';
import { apiRequest, type RequestContext } from '../../../shared/transport';

export async function readTask(ctx: RequestContext, taskId: string, itemIndex: number): Promise<MaxApiTask> {
	const data = await apiRequest(ctx, {
		method: 'GET',
		path: `/api/v1/task/${encodeURIComponent(taskId)}`,
		retry: 'read',
		itemIndex,
		taskId,
		operation: 'get',
	});
	return { taskId, ...(data as MaxApiTask) };
}
