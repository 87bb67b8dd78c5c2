// Start the engine worker as early as the page allows: loaded `async` from the page head
// (overrides/widget.html), so Pyodide starts downloading while the rest of the page is parsed.
// find-my-fix.js imports this same module instance and mounts the widget on it.

import { startEngine } from "./engine-client.js";

export const engine = startEngine();
