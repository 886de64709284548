// The request form: changing the category suggests its route again, as the server did when the
// page opened. The routing table arrives in the form's data-routes attribute.
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  if (!form) { return; }
  var routes = JSON.parse(form.dataset.routes);
  var category = document.getElementById("category");
  category.addEventListener("change", function () {
    var route = routes[category.value];
    if (!route) { return; }
    document.getElementById("department").value = route.department;
    var due = new Date();
    due.setDate(due.getDate() + route.days);
    document.getElementById("due_on").value = due.toISOString().slice(0, 10);
    document.getElementById("route-days").textContent = route.days;
    document.getElementById("route-suggestion").classList.remove("d-none");
  });
})();
