;;; verbatim.el --- Catch misquotes with the Verbatim language server  -*- lexical-binding: t -*-

;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Version: 0.1.0
;; Keywords: languages, text

;;; Commentary:

;; Verbatim compares every direct quotation in an article with the other versions of the same story
;; (wire copy, rewrite, translation, draft) and reports where the wording or the attribution differs.
;; This file registers its language server, `verbatim lsp', with Eglot for text and Markdown buffers.
;;
;;   (require 'verbatim)
;;   (verbatim-setup)                             ; then M-x eglot in an article
;;   (add-hook 'text-mode-hook #'eglot-ensure)    ; or start it for every article
;;
;; Findings appear through Flymake; M-x verbatim-show-versions lists every version of the quote at
;; point; M-x eglot-code-actions offers "Use canonical wording" and the other fixes.

;;; Code:

(require 'cl-lib)
(require 'eglot)

(defgroup verbatim nil
  "Catch misquotes with the Verbatim language server."
  :group 'tools
  :prefix "verbatim-")

(defcustom verbatim-server-command '("verbatim" "lsp")
  "The command that starts the Verbatim language server."
  :type '(repeat string))

(defcustom verbatim-modes '(text-mode markdown-mode)
  "Major modes whose buffers are articles checked by Verbatim."
  :type '(repeat symbol))

;;;###autoload
(defun verbatim-setup ()
  "Register the Verbatim language server with Eglot for `verbatim-modes'."
  (interactive)
  (setq eglot-server-programs
        (cons (cons verbatim-modes verbatim-server-command)
              (cl-remove-if (lambda (entry) (equal (car entry) verbatim-modes))
                            eglot-server-programs))))

(defun verbatim--hover-text (contents)
  "The text of a hover's CONTENTS.
CONTENTS is a MarkupContent, a MarkedString or a vector of them."
  (cond ((stringp contents) contents)
        ((and (listp contents) (plist-get contents :value)) (plist-get contents :value))
        ((vectorp contents) (mapconcat #'verbatim--hover-text contents "\n\n"))
        (t "")))

;;;###autoload
(defun verbatim-show-versions ()
  "Show every version of the quote at point.
The server's hover: the speaker, how many versions agree and the
table of readings with their sources."
  (interactive)
  (let* ((server (eglot--current-server-or-lose))
         (hover (jsonrpc-request server :textDocument/hover
                                 (eglot--TextDocumentPositionParams)))
         (text (and hover (verbatim--hover-text (plist-get hover :contents)))))
    (if (or (null text) (string-empty-p text))
        (message "verbatim: no quote at point")
      (with-current-buffer (get-buffer-create "*verbatim versions*")
        (let ((inhibit-read-only t))
          (erase-buffer)
          (insert text)
          (goto-char (point-min))
          (if (fboundp 'gfm-view-mode) (gfm-view-mode) (special-mode)))
        (display-buffer (current-buffer))
        (current-buffer)))))

(provide 'verbatim)
;;; verbatim.el ends here
