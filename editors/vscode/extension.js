// Starts `kojo lsp` for kojo projects: everything the editor shows beyond
// highlighting (diagnostics, hover, navigation, completion, formatting)
// comes from the language server, so the extension stays this small.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("kojo").get("server.path") || "kojo";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "kojo",
    "kojo",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "kojo" }],
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
