import { render } from "preact";
import "uplot/dist/uPlot.min.css";
import "./console.css";
import { App } from "./app.tsx";

// The console's entry point, bundled with its CSS by src/admin/console.ts (and `npm run build`).
const root = document.getElementById("app");
if (root !== null) render(<App />, root);
