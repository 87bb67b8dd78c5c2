// Entry point of the "Find my fix" page: mount the widget on the engine engine-boot.js started.
// Loaded only by overrides/widget.html, so article pages never download Pyodide.

import { engine } from "./engine-boot.js";
import { startEngine } from "./engine-client.js";
import { mountWidget } from "./widget.js";

const root = document.getElementById("find-my-fix");
if (root) mountWidget(root, engine, { restartEngine: () => startEngine() });
