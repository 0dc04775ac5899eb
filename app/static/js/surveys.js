// Small progressive enhancements for surveys; every page works without this file.

// Question builder: show only the settings of the chosen kind of question.
const kindSelect = document.querySelector("select#kind");
const kindSettings = document.querySelectorAll(".kind-settings[data-kinds]");
if (kindSelect && kindSettings.length) {
  const update = () => {
    kindSettings.forEach((fieldset) => {
      fieldset.hidden = !fieldset.dataset.kinds.split(" ").includes(kindSelect.value);
    });
  };
  kindSelect.addEventListener("change", update);
  update();
}

// Printable survey: a print button.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
