// Accessibility fixes for mdBook 0.5.4's default theme, kept out of its
// templates so upgrading mdBook stays a one-line change.
(function () {
    'use strict';

    // The sidebar toggle is a <label> for a hidden checkbox, carrying
    // aria-label, aria-controls and aria-expanded, none of which a label may
    // have, and it cannot be reached with the keyboard. As a button it can.
    function sidebarToggle() {
        var toggle = document.getElementById('mdbook-sidebar-toggle');
        if (!toggle || toggle.tagName !== 'LABEL') {
            return;
        }
        toggle.setAttribute('role', 'button');
        toggle.tabIndex = 0;
        toggle.addEventListener('keydown', function (event) {
            if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                toggle.click();
            }
        });
    }

    // Code blocks and tables that scroll sideways must be reachable with the
    // keyboard (WCAG 2.1.1). They take focus only while they overflow, and
    // the arrow keys then scroll them instead of turning mdBook's pages.
    var SCROLLERS = '.content pre > code, .content .table-wrapper';

    function onScrollerKey(event) {
        if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
            event.stopPropagation();
        }
    }

    function reachable(el) {
        var overflows = el.scrollWidth > el.clientWidth;
        if (overflows && !el.hasAttribute('tabindex')) {
            el.tabIndex = 0;
            el.dataset.scrollFocus = '';
            el.addEventListener('keydown', onScrollerKey);
        } else if (!overflows && el.dataset.scrollFocus !== undefined) {
            el.removeAttribute('tabindex');
            delete el.dataset.scrollFocus;
            el.removeEventListener('keydown', onScrollerKey);
        }
    }

    function scrollersReachable() {
        var all = document.querySelectorAll(SCROLLERS);
        all.forEach(reachable);
        // A resized window, or a panel shown by the architecture tabs,
        // changes what overflows.
        if (window.ResizeObserver) {
            var observer = new ResizeObserver(function (entries) {
                entries.forEach(function (entry) { reachable(entry.target); });
            });
            all.forEach(function (el) { observer.observe(el); });
        }
        // Web fonts change the width of the text, not of its box.
        if (document.fonts && document.fonts.ready) {
            document.fonts.ready.then(function () { all.forEach(reachable); });
        }
    }

    function init() {
        sidebarToggle();
        scrollersReachable();
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
})();
