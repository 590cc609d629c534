// Starts `kojo lsp` for kojo projects: everything the editor shows beyond
// highlighting (diagnostics, hover, navigation, completion, formatting)
// comes from the language server, so the extension stays this small.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("kojo");
  const command = config.get("server.path") || "kojo";
  // Started outside the workspace, so that a bare name is never looked up
  // in an untrusted folder first (as Windows does with the current directory).
  const server = { command, args: ["lsp"], options: { cwd: context.extensionPath } };
  // "auto" leaves the choice to the server, which reads the locale VS Code
  // sends (its display language).
  const language = config.get("language");
  const initializationOptions = language === "en" || language === "ja" ? { language } : {};
  client = new LanguageClient(
    "kojo",
    "kojo",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "kojo" }],
      initializationOptions,
      // The manifest's device blocks name assets: the server re-checks on
      // its changes too.
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.kojo,kojo.kdl}") },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
