// giaoban: small enhancements; every form works without this file.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
// On a phone the menu is one scrolling row: show the current page's item.
document.addEventListener("DOMContentLoaded", function () {
  var cur = document.querySelector(".menu [aria-current]");
  var menu = cur && cur.parentElement;
  if (menu && menu.scrollWidth > menu.clientWidth) menu.scrollLeft = cur.offsetLeft - (menu.clientWidth - cur.offsetWidth) / 2;
});
