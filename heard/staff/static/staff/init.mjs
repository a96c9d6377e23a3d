// Progressive enhancement only: every staff page works without JavaScript.
import { initAll as initGovuk } from "../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj/all.bundle.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();
