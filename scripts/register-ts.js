// Lets plain Node scripts (demo, bench) require the TypeScript sources and test harness directly,
// transpiled in memory with the project's own TypeScript: the same code the tests run, no extra build.
const fs = require('node:fs');
const ts = require('typescript');

// Node tries extensions in registration order; `MaxApi.node` must find MaxApi.node.ts before the
// codex file MaxApi.node.json, so .ts goes ahead of .json and .node.
const later = ['.json', '.node'].map((extension) => [extension, require.extensions[extension]]);
for (const [extension] of later) delete require.extensions[extension];

require.extensions['.ts'] = (module, filename) => {
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		fileName: filename,
		compilerOptions: {
			module: ts.ModuleKind.CommonJS,
			target: ts.ScriptTarget.ES2020,
			esModuleInterop: true,
		},
	});
	module._compile(outputText, filename);
};

for (const [extension, load] of later) require.extensions[extension] = load;
