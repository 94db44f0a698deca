// Reading on any screen, from a phone to a desktop.
//
// Inline code: an identifier such as `responderapi-alb-sg` is never broken
// at its hyphens. A span shorter than SHORT characters stays on one line,
// together with the punctuation around it; a longer one (a whole command)
// breaks only between its words, and a path or URL also after a slash. Only
// a piece wider than the line it sits in breaks inside, so nothing pushes
// the page sideways.
//
// Tables: a table wider than its column is shown one row per card, each cell
// under its column's heading, instead of a box that scrolls sideways.
//
// Code blocks that scroll sideways show a shadow on the side where more is.
//
// Without this script the browser's own breaking applies and wide tables
// scroll, as in mdBook's theme.
(function () {
    'use strict';

    var SHORT = 40;

    function whole(el) {
        el.classList.add('keep-whole');
        return el;
    }

    // The code's text as pieces kept whole: words, and a word with slashes
    // cut after each slash. The code itself does not wrap; it may break only
    // in the gaps between pieces (a space, or a <wbr> after a slash), so its
    // ends stay with the punctuation around it. Same text, same copy.
    function pieces(code, text) {
        code.textContent = '';
        var gap = function (node) {
            var span = document.createElement('span');
            span.className = 'gap';
            span.appendChild(node);
            code.appendChild(span);
        };
        text.split(/(\s+)/).forEach(function (word) {
            if (/^\s*$/.test(word)) {
                if (word) {
                    gap(document.createTextNode(word));
                }
                return;
            }
            word.match(/[^\/]*\/|[^\/]+/g).forEach(function (piece, i) {
                if (i > 0) {
                    gap(document.createElement('wbr'));
                }
                var span = whole(document.createElement('span'));
                span.textContent = piece;
                code.appendChild(span);
            });
        });
        code.classList.add('words');
    }

    // Keeps the punctuation written against `unit` on its line: "(" before,
    // ")", "," or "’s" after. Chrome would otherwise break between them.
    // `kind` is the class of the span that holds them together.
    function glue(unit, kind) {
        var before = unit.previousSibling;
        var after = unit.nextSibling;
        var open = before && before.nodeType === Node.TEXT_NODE
            ? /[^\s\w]{1,3}$/.exec(before.data) : null;
        var close = after && after.nodeType === Node.TEXT_NODE
            ? /^[^\s\w]*(?:s(?!\w))?[^\s\w]*/.exec(after.data) : null;
        if (!(open && open[0]) && !(close && close[0])) {
            return;
        }
        var span = document.createElement('span');
        span.className = kind;
        unit.parentNode.insertBefore(span, unit);
        if (open && open[0]) {
            span.appendChild(before.splitText(before.data.length - open[0].length));
        }
        span.appendChild(unit);
        if (close && close[0]) {
            after.splitText(close[0].length);
            span.appendChild(after);
        }
    }

    // Marks each inline code span once.
    function keepWords(code) {
        if (code.closest('pre') || code.hasAttribute('data-words')) {
            return;
        }
        code.setAttribute('data-words', '');
        var text = code.textContent;
        var plain = Array.prototype.every.call(code.childNodes, function (n) {
            return n.nodeType === Node.TEXT_NODE;
        });
        // A link around the code alone moves with it.
        var unit = code;
        while (unit.parentElement && unit.parentElement.tagName === 'A' &&
               unit.parentElement.textContent === unit.textContent) {
            unit = unit.parentElement;
        }
        if (text.trim().length < SHORT) {
            // Whole, slashes included: <wbr> would still break it in Chrome.
            whole(code);
            glue(unit, 'keep-whole glue');
        } else if (plain) {
            pieces(code, text);
            glue(unit, 'keep-ends');
        }
    }

    // The width inside the padding of the block `el` is laid out in.
    function lineWidth(el) {
        var block = el.parentElement;
        while (block && getComputedStyle(block).display.indexOf('inline') === 0) {
            block = block.parentElement;
        }
        if (!block) {
            return Infinity;
        }
        var style = getComputedStyle(block);
        return block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    }

    function tables() {
        return document.querySelectorAll('.content main .table-wrapper > table');
    }

    // Each cell carries its column's heading, shown above it in a card.
    function label(table) {
        if (table.hasAttribute('data-labelled')) {
            return;
        }
        table.setAttribute('data-labelled', '');
        var headings = Array.prototype.map.call(
            table.querySelectorAll('thead th'),
            function (th) { return th.textContent.trim(); });
        table.querySelectorAll('tbody tr').forEach(function (row) {
            Array.prototype.forEach.call(row.children, function (cell, i) {
                if (headings[i]) {
                    cell.setAttribute('data-label', headings[i]);
                }
            });
        });
        // Browsers drop a table's semantics when its parts are laid out as
        // blocks; the roles keep it a table for screen readers.
        table.setAttribute('role', 'table');
        table.querySelectorAll('thead, tbody').forEach(function (g) { g.setAttribute('role', 'rowgroup'); });
        table.querySelectorAll('tr').forEach(function (r) { r.setAttribute('role', 'row'); });
        table.querySelectorAll('th').forEach(function (c) { c.setAttribute('role', 'columnheader'); });
        table.querySelectorAll('td').forEach(function (c) { c.setAttribute('role', 'cell'); });
    }

    // Lays the page out again for its current width. Reads, then writes, so
    // the browser lays out a few times per run, not once per element.
    function relayout() {
        var all = tables();
        all.forEach(function (t) { t.classList.remove('stacked'); });
        document.querySelectorAll('.content main .too-wide').forEach(function (el) {
            el.classList.remove('too-wide');
        });
        var wide = Array.prototype.filter.call(all, function (t) {
            var wrapper = t.parentElement;
            return wrapper.clientWidth > 0 && wrapper.scrollWidth > wrapper.clientWidth;
        });
        wide.forEach(function (t) {
            label(t);
            t.classList.add('stacked');
        });
        // Punctuation glued to code that fits may hang a few pixels past the
        // line rather than be broken off: only the code decides.
        var tooWide = Array.prototype.filter.call(
            document.querySelectorAll('.content main .keep-whole'),
            function (el) {
                var held = el.classList.contains('glue') ? el.firstElementChild : el;
                var width = held.getBoundingClientRect().width;
                return width > 0 && width > lineWidth(el) + 0.5;
            });
        tooWide.forEach(function (el) { el.classList.add('too-wide'); });
        codeBlocks().forEach(scrollCue);
    }

    // A code block that scrolls sideways shows a shadow on the side where
    // more of it is.
    function scrollCue(code) {
        var pre = code.parentElement;
        var max = code.scrollWidth - code.clientWidth;
        pre.classList.toggle('more-left', max > 1 && code.scrollLeft > 1);
        pre.classList.toggle('more-right', max > 1 && code.scrollLeft < max - 1);
    }

    function codeBlocks() {
        return document.querySelectorAll('.content main pre > code');
    }

    var pending = false;
    function schedule() {
        if (!pending) {
            pending = true;
            // Outside the ResizeObserver's callback, so a change of size made
            // here is not a loop.
            requestAnimationFrame(function () {
                pending = false;
                relayout();
            });
        }
    }

    function init() {
        document.querySelectorAll('.content main code').forEach(keepWords);
        codeBlocks().forEach(function (code) {
            code.addEventListener('scroll', function () { scrollCue(code); }, { passive: true });
        });
        relayout();
        // A resized window, a panel shown by the architecture tabs, or the
        // web fonts arriving change what fits.
        var main = document.querySelector('.content main');
        if (main && window.ResizeObserver) {
            var observer = new ResizeObserver(schedule);
            observer.observe(main);
            // A panel shown in place of one of the same height.
            document.querySelectorAll('.content main .arch-panel').forEach(function (panel) {
                observer.observe(panel);
            });
        } else {
            window.addEventListener('resize', schedule);
        }
        if (document.fonts) {
            // Fonts load when text first needs them, often after this runs.
            document.fonts.ready.then(schedule);
            document.fonts.addEventListener('loadingdone', schedule);
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
})();
