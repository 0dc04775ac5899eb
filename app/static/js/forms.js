// After a refused submission, start keyboard and screen-reader users at the list of problems:
// each entry links to its field.
const summary = document.getElementById("error-summary");
if (summary) summary.focus();
