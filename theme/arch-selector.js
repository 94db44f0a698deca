// The page-wide architecture selector.
//
// Without this script every variant of an architecture group is shown, each
// under its own label. With it, each group becomes a set of tabs, and the
// reader's one choice applies to every group on every page: it is kept in
// localStorage and applied on load.
(function () {
    'use strict';

    var KEY = 'responderapi-docs.architecture';

    function stored() {
        try {
            return window.localStorage.getItem(KEY);
        } catch (e) {
            return null; // Storage blocked: the choice lasts for this page.
        }
    }

    function store(arch) {
        try {
            window.localStorage.setItem(KEY, arch);
        } catch (e) {
            // Storage blocked or full: nothing to keep.
        }
    }

    function groups() {
        return Array.prototype.slice.call(document.querySelectorAll('[data-arch-group]'));
    }

    function tabsOf(group) {
        return Array.prototype.slice.call(
            group.querySelectorAll(':scope > .arch-tabs > [role="tab"]'));
    }

    // Shows `arch` in one group, or its first variant if it has no such tab.
    function show(group, arch) {
        var tabs = tabsOf(group);
        if (!tabs.some(function (t) { return t.dataset.arch === arch; })) {
            arch = tabs.length ? tabs[0].dataset.arch : '';
        }
        tabs.forEach(function (tab) {
            var on = tab.dataset.arch === arch;
            tab.setAttribute('aria-selected', on ? 'true' : 'false');
            tab.tabIndex = on ? 0 : -1;
            var panel = document.getElementById(tab.getAttribute('aria-controls'));
            if (panel) {
                panel.hidden = !on;
            }
        });
    }

    // Applies a choice everywhere on the page. Groups above `anchor` may
    // change height; scrolling by the difference keeps the tab the reader
    // used where it was on screen.
    function apply(arch, anchor) {
        var before = anchor ? anchor.getBoundingClientRect().top : 0;
        groups().forEach(function (group) { show(group, arch); });
        if (anchor) {
            window.scrollBy(0, anchor.getBoundingClientRect().top - before);
        }
    }

    function choose(tab) {
        store(tab.dataset.arch);
        apply(tab.dataset.arch, tab);
    }

    function onKey(event) {
        var tab = event.target.closest('[role="tab"]');
        if (!tab || event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }
        var tabs = tabsOf(tab.closest('[data-arch-group]'));
        var i = tabs.indexOf(tab);
        var step = document.documentElement.dir === 'rtl' ? -1 : 1;
        var next;
        switch (event.key) {
        case 'ArrowRight': next = tabs[(i + step + tabs.length) % tabs.length]; break;
        case 'ArrowLeft': next = tabs[(i - step + tabs.length) % tabs.length]; break;
        case 'Home': next = tabs[0]; break;
        case 'End': next = tabs[tabs.length - 1]; break;
        default: return;
        }
        // The arrow keys also turn mdBook's pages: not while on a tab.
        event.preventDefault();
        event.stopPropagation();
        choose(next);
        next.focus();
    }

    function onClick(event) {
        var tab = event.target.closest('[role="tab"]');
        if (tab) {
            choose(tab);
        }
    }

    function init() {
        var all = groups();
        all.forEach(function (group) {
            var list = group.querySelector(':scope > .arch-tabs');
            if (!list) {
                return;
            }
            group.classList.add('arch-tabbed');
            list.hidden = false;
            list.addEventListener('click', onClick);
            list.addEventListener('keydown', onKey);
        });
        if (all.length) {
            apply(stored() || '', null);
        }
    }

    // A choice made in another window of the book follows here too.
    window.addEventListener('storage', function (event) {
        if (event.key === KEY && event.newValue) {
            apply(event.newValue, null);
        }
    });

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
})();
