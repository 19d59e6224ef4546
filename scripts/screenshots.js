#!/usr/bin/env node
// Takes the README's pictures from a running `npm run dev` (n8n on N8N_URL, default http://127.0.0.1:5678)
// in headless Chromium (Debian's chromium package), into docs/images/. Look at them before committing.
const path = require('node:path');
const { chromium } = require('playwright-core');
const { OWNER } = require('./e2e/n8n');

const N8N_URL = process.env.N8N_URL ?? 'http://127.0.0.1:5678';
const OUT = path.join(__dirname, '..', 'docs', 'images');

async function rest(cookie, method, route, body) {
	const response = await fetch(`${N8N_URL}/rest${route}`, {
		method,
		headers: { 'content-type': 'application/json', cookie },
		body: body && JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${method} ${route}: ${response.status}`);
	return {
		json: (await response.json()).data,
		cookie: response.headers.get('set-cookie')?.split(';')[0] ?? cookie,
	};
}

async function main() {
	const login = await rest('', 'POST', '/login', {
		emailOrLdapLoginId: OWNER.email,
		password: OWNER.password,
	});
	const cookie = login.cookie;
	const workflows = (await rest(cookie, 'GET', '/workflows')).json;
	const byName = (prefix) => workflows.find((workflow) => workflow.name.startsWith(prefix));

	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const context = await browser.newContext({
		viewport: { width: 1440, height: 900 },
		deviceScaleFactor: 1,
	});
	const [name, value] = cookie.split('=');
	await context.addCookies([{ name, value, url: N8N_URL }]);
	const page = await context.newPage();

	const canvasNode = (nodeName) =>
		page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).first();
	const showNode = async (nodeName) => {
		await canvasNode(nodeName).dblclick();
		await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 15_000 });
		await page.waitForTimeout(1500);
	};
	const openWorkflow = async (workflowPrefix, nodeName) => {
		await page.goto(`${N8N_URL}/workflow/${byName(workflowPrefix).id}`);
		await canvasNode(nodeName).waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1000);
	};
	const openNode = async (workflowPrefix, nodeName) => {
		await openWorkflow(workflowPrefix, nodeName);
		await showNode(nodeName);
	};

	await openNode('MaxAPI: make a 10 s video', 'Make video');
	await page.getByText('Download Result Files', { exact: true }).first().scrollIntoViewIfNeeded();
	await page.waitForTimeout(500);
	await page.screenshot({ path: path.join(OUT, 'submit-panel.png') });
	console.log('docs/images/submit-panel.png');

	await openNode('MaxAPI callbacks (2 of 2)', 'MaxApi Trigger');
	await page.getByText('Webhook URLs', { exact: true }).first().click();
	await page.getByText('Production URL', { exact: true }).first().click();
	await page.waitForTimeout(800);
	await page.screenshot({ path: path.join(OUT, 'trigger-panel.png') });
	console.log('docs/images/trigger-panel.png');

	// A finished execution: run the three-images example from the editor and open its result.
	await openWorkflow('MaxAPI: three images', 'Make images');
	await page.getByText('Execute workflow', { exact: true }).last().click();
	// The emulator takes 5 s per task; the three run at once.
	await page.waitForTimeout(12_000);
	await showNode('Make images');
	await page.screenshot({ path: path.join(OUT, 'finished-execution.png') });
	console.log('docs/images/finished-execution.png');

	await browser.close();
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
