// Starts GOV.UK Frontend's components. The pages work without it: it only
// improves the mobile menu, the skip link and buttons.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
