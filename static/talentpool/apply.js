/* Talent Pool application form: "Add a season" adds racing-record rows beyond the three
   empty ones the page already has. Without this script the form still works. */
(function () {
  "use strict";
  var button = document.getElementById("record-add");
  var template = document.getElementById("record-template");
  var rows = document.getElementById("record-rows");
  var total = document.getElementById("id_record-TOTAL_FORMS");
  var max = document.getElementById("id_record-MAX_NUM_FORMS");
  if (!button || !template || !rows || !total || !max) {
    return;
  }
  function refresh() {
    button.hidden = Number(total.value) >= Number(max.value);
  }
  button.addEventListener("click", function () {
    var index = Number(total.value);
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild.querySelector("input");
    if (added) {
      added.focus();
    }
    refresh();
  });
  refresh();
})();
