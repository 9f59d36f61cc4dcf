; Inno Setup 6 script: the Windows installer of the ComplaintDesk bundle
; (docs/design.md, Shipping). Build the bundle first (pyinstaller --noconfirm build.spec),
; then, from the repository root:
;   iscc /DAppVersion=0.1.0 installer\complaintdesk.iss
; The workflow .github/workflows/windows.yml passes the version read from
; services/__init__.py; the default below is only for a build by hand.
;
; Per-user install, no administrator rights: %LOCALAPPDATA%\Programs\ComplaintDesk.
; The data (database, backups, logs) is in %LOCALAPPDATA%\ComplaintDesk or the folder chosen
; in Settings; the uninstaller never touches it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "ComplaintDesk"
#define AppExe "ComplaintDesk.exe"

[Setup]
; A fixed AppId: upgrades replace the installed version instead of adding a second one.
AppId={{6F1B2C1E-3C1D-4C55-9B8E-0D6C0A6E4E51}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=ComplaintDesk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist\installer
OutputBaseFilename=ComplaintDesk-{#AppVersion}-setup
SetupIconFile=..\build\spec-generated\complaintdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
LicenseFile=..\LICENSE
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close the running program before replacing its files (upgrade, uninstall): the named
; mutex is created by ui/single_instance.py; Restart Manager closes it gracefully.
AppMutex=ComplaintDesk-single-instance
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; ChineseSimplified.isl is not part of the official Inno Setup download: it is maintained by
; the translators at https://jrsoftware.org/files/istrans/ . The workflow downloads it into
; Inno Setup's Languages folder before compiling (see .github/workflows/windows.yml).
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the whole one-folder bundle: both programs and _internal\
Source: "..\dist\ComplaintDesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an upgrade starts from a clean program folder (never the data folder, which is elsewhere)
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry for the data: %LOCALAPPDATA%\ComplaintDesk (or the shared
; %ProgramData%\ComplaintDesk) keeps the database and its backups after uninstalling.
