// Entry point of the "Find my fix" page: start the engine worker first, then mount the widget.
// Loaded only by overrides/widget.html, so article pages never download Pyodide.

import { startEngine } from "./engine-client.js";
import { mountWidget } from "./widget.js";

const root = document.getElementById("find-my-fix");
if (root) {
  const engine = startEngine();
  mountWidget(root, engine);
}
