// Valley Herald popup helper (c) 2003
function openPopup(url, w, h) {
  window.open(url, 'herald', 'width=' + w + ',height=' + h + ',scrollbars=yes');
  return false;
}
