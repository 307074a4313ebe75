; ShopDesk for Windows: a per-user installer (no administrator rights) around the PyInstaller folder.
;
;   pyinstaller --noconfirm --distpath dist --workpath build\work build\shopdesk.spec
;   dist\shopdesk\shopdesk-console.exe self-test
;   iscc /DAppVersion=<desktop.__version__> build\windows\shopdesk.iss
;
; Makes dist\ShopDesk-<version>-windows-x64-setup.exe: installs dist\shopdesk\ into
; %LOCALAPPDATA%\Programs\ShopDesk, a Start menu entry (and an optional desktop icon), and an uninstaller
; (Settings > Apps). The user's data (%LOCALAPPDATA%\ShopDesk) is left alone on uninstall.

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=0.1.0 build\windows\shopdesk.iss
#endif

[Setup]
AppId={{6F1C7C1E-5B7A-4C53-9A8E-0D6E1B5A7D21}
AppName=ShopDesk
AppVersion={#AppVersion}
AppPublisher=ShopDesk
DefaultDirName={localappdata}\Programs\ShopDesk
DefaultGroupName=ShopDesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=ShopDesk-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\ShopDesk.exe
CloseApplications=yes

[Languages]
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\shopdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\ShopDesk"; Filename: "{app}\ShopDesk.exe"
Name: "{group}\{cm:UninstallProgram,ShopDesk}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\ShopDesk"; Filename: "{app}\ShopDesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\ShopDesk.exe"; Description: "{cm:LaunchProgram,ShopDesk}"; Flags: nowait postinstall skipifsilent
