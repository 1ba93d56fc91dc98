;;; test.el --- Smoke test of Verbatim in Emacs with Eglot and Flymake  -*- lexical-binding: t -*-
;;
;;   VERBATIM_BIN=/path/to/verbatim emacs --batch -l tests/e2e/emacs/test.el
;;
;; (Do not pass -Q: Debian's site-start activates the elpa-eglot package.)  Opens the ferry fixture's
;; draft, starts Eglot with `verbatim lsp', runs Flymake and waits for a Verbatim diagnostic on the
;; quote that differs from the other versions.  Exits non-zero on failure.

(require 'package)
(package-initialize)
(require 'eglot)
(require 'flymake)
(require 'cl-lib)

(defvar verbatim-test-timeout
  (/ (string-to-number (or (getenv "E2E_TIMEOUT_MS") "60000")) 1000.0))
(defconst verbatim-test-bad "We will not put one passenger on a boat we cannot trust")

(defun verbatim-test-log (fmt &rest args)
  (princ (concat "[emacs-e2e] " (apply #'format fmt args) "\n")))

(defun verbatim-test-fail (fmt &rest args)
  (verbatim-test-log "FAIL: %s" (apply #'format fmt args))
  (kill-emacs 1))

(defun verbatim-test-wait (what pred)
  (let ((deadline (+ (float-time) verbatim-test-timeout)) result)
    (while (and (not (setq result (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (or result (verbatim-test-fail "timed out after %.0f s waiting for %s" verbatim-test-timeout what))))

(let* ((bin (or (getenv "VERBATIM_BIN") (verbatim-test-fail "VERBATIM_BIN is not set")))
       (bin (expand-file-name bin))
       (here (file-name-directory (or load-file-name buffer-file-name)))
       (fixtures (expand-file-name "../fixtures/ferry/" here))
       (corpus (make-temp-file "verbatim-emacs-e2e-" t)))
  (unless (file-executable-p bin) (verbatim-test-fail "VERBATIM_BIN is not executable: %s" bin))
  (dolist (name '("wire.md" "gazette.md" "draft.md"))
    (copy-file (expand-file-name name fixtures) (expand-file-name name corpus)))
  (verbatim-test-log "Emacs %s, Eglot %s" emacs-version
                     (or (ignore-errors (package-version-join (package-desc-version (cadr (assq 'eglot package-alist))))) "?"))

  ;; Articles are text; markdown-mode, where installed, is a text-mode too.
  (add-to-list 'auto-mode-alist '("\\.md\\'" . text-mode))
  ;; editors/emacs/verbatim.el registers the server in `eglot-server-programs' for text/markdown modes.
  (add-to-list 'load-path (expand-file-name "../../../editors/emacs" here))
  (require 'verbatim)
  (setq verbatim-server-command (list bin "lsp"))
  (verbatim-setup)
  (unless (equal (alist-get '(text-mode markdown-mode) eglot-server-programs nil nil #'equal) (list bin "lsp"))
    (verbatim-test-fail "verbatim-setup did not register the server: %S" (car eglot-server-programs)))
  (setq eglot-sync-connect t
        eglot-connect-timeout verbatim-test-timeout
        flymake-no-changes-timeout nil)

  (find-file (expand-file-name "draft.md" corpus))
  (unless (derived-mode-p 'text-mode) (verbatim-test-fail "draft.md opened in %s" major-mode))
  (apply #'eglot (eglot--guess-contact))
  (verbatim-test-wait "Eglot to manage the buffer" (lambda () (eglot-managed-p)))
  (let ((server (eglot-current-server)))
    (verbatim-test-log "connected: %S" (plist-get (eglot--server-info server) :name)))
  (flymake-start)

  (let* ((bad-start (save-excursion
                      (goto-char (point-min))
                      (search-forward verbatim-test-bad)
                      (match-beginning 0)))
         (diag (verbatim-test-wait
                "a Verbatim quote-differs diagnostic"
                (lambda ()
                  (flymake-start)
                  (cl-find-if (lambda (d) (string-match-p "quote-differs" (flymake-diagnostic-text d)))
                              (flymake-diagnostics))))))
    (verbatim-test-log "diagnostic at %d-%d: %s"
                       (flymake-diagnostic-beg diag) (flymake-diagnostic-end diag)
                       (flymake-diagnostic-text diag))
    (unless (= (flymake-diagnostic-beg diag) bad-start)
      (verbatim-test-fail "the diagnostic starts at %d, the differing quote at %d"
                          (flymake-diagnostic-beg diag) bad-start))
    (unless (eq (flymake-diagnostic-type diag) 'eglot-warning)
      (verbatim-test-fail "quote-differs is a %s, not a warning" (flymake-diagnostic-type diag)))
    ;; M-x verbatim-show-versions on the quote: the readings of every version.
    (goto-char (+ bad-start 5))
    (let* ((buf (verbatim-show-versions))
           (text (and (bufferp buf) (with-current-buffer buf (buffer-string)))))
      (unless (and text (string-match-p "single passenger" text) (string-match-p "one" text))
        (verbatim-test-fail "verbatim-show-versions did not show the readings: %S" text))
      (verbatim-test-log "verbatim-show-versions: %s"
                         (replace-regexp-in-string "\n+" " | " (substring text 0 (min 200 (length text)))))))

  ;; A clean shutdown: Eglot sends `shutdown' with null params, which the server must accept.
  ;; Exit code 3: the diagnostics were right but the shutdown was refused (reported apart by .ci/editors).
  (let ((shutdown-error
         (condition-case err
             (progn (eglot-shutdown (eglot-current-server)) nil)
           (error err))))
    (delete-directory corpus t)
    (if shutdown-error
        (progn
          (verbatim-test-log "PASS: diagnostics")
          (verbatim-test-log "FAIL: eglot-shutdown: the server refused Eglot's shutdown request: %S" shutdown-error)
          (kill-emacs 3))
      (verbatim-test-log "shut down cleanly")
      (verbatim-test-log "PASS")
      (kill-emacs 0))))
