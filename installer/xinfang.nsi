; NSIS script of the Windows installer: 信访工作台 for one user, no administrator rights, offline.
;
;   makensis -DBUNDLE=dist\xinfang-desktop installer\xinfang.nsi        (build-windows.ps1 does this)
;
; Defines (all optional): BUNDLE (the PyInstaller folder), VERSION (default: read from
; xinfang_desktop/__init__.py), VERSION4 (a.b.c.d for the file properties), ICON, OUTFILE, COMPRESSOR (lzma|zlib).
; Install: %LOCALAPPDATA%\Programs\xinfang-desktop. Data (database, documents, backups, logs) lives elsewhere, in
; %LOCALAPPDATA%\xinfang\xinfang-desktop (platformdirs), so an upgrade or an uninstall never touches it unless the
; user ticks the box on the uninstaller's components page.
Unicode true
ManifestDPIAware true
!ifdef COMPRESSOR
  SetCompressor /SOLID ${COMPRESSOR}
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !searchparse /file "..\xinfang_desktop\__init__.py" `__version__ = "` VERSION `"`
!endif
!ifndef VERSION4
  !define VERSION4 "${VERSION}.0"
!endif
!ifndef BUNDLE
  !define BUNDLE "dist\xinfang-desktop"
!endif
!ifndef ICON
  !define ICON "build\icon\xinfang.ico"
!endif
!ifndef OUTFILE
  !define OUTFILE "dist\xinfang-desktop-${VERSION}-setup.exe"
!endif

!define APP_ID "xinfang-desktop"
!define APP_LABEL "信访工作台"
!define GUI_EXE "xinfang-desktop.exe"
!define CLI_EXE "xinfang.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define DATA_DIR "$LOCALAPPDATA\xinfang\xinfang-desktop"

Name "${APP_LABEL}"
Caption "${APP_LABEL} ${VERSION} 安装"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP_LABEL} ${VERSION}"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_LABEL}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_LABEL} 安装程序"
VIAddVersionKey /LANG=2052 "LegalCopyright" "见 THIRD-PARTY-NOTICES.txt"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装${APP_LABEL} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "本程序将为当前用户安装${APP_LABEL}，不需要管理员权限，也不需要联网。$\r$\n$\r$\n如果已安装旧版本，将直接升级：数据库、文书和备份都会保留，新版本第一次打开时会先备份数据库再升级数据结构。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即打开${APP_LABEL}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本机删除${APP_LABEL}程序。数据库、文书和备份默认保留，下次安装后可以继续使用。"
!define MUI_COMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "THIRD-PARTY-NOTICES.txt"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

; The running program (windowed or console) is asked to close, then stopped if it has not closed in ten seconds:
; an upgrade must not replace files a running copy holds open. SQLite keeps every committed registration safe.
!macro CLOSE_RUNNING un
Function ${un}CloseRunning
  nsExec::ExecToStack 'tasklist /NH /FI "IMAGENAME eq ${GUI_EXE}"'
  Pop $0
  Pop $1
  nsExec::ExecToStack 'tasklist /NH /FI "IMAGENAME eq ${CLI_EXE}"'
  Pop $0
  Pop $2
  StrCpy $3 "$1$2"
  Push $3
  Push "${CLI_EXE}"
  Call ${un}Contains
  Pop $4
  Push $3
  Push "${GUI_EXE}"
  Call ${un}Contains
  Pop $5
  ${If} $4 == 1
  ${OrIf} $5 == 1
    MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "${APP_LABEL}正在运行。点击“确定”将关闭它后继续（已保存的数据不受影响），点击“取消”退出。" /SD IDOK IDOK close
    Abort
    close:
    nsExec::Exec 'taskkill /IM ${GUI_EXE}'
    StrCpy $6 0
    ${Do}
      Sleep 500
      IntOp $6 $6 + 1
      nsExec::ExecToStack 'tasklist /NH /FI "IMAGENAME eq ${GUI_EXE}"'
      Pop $0
      Pop $1
      Push $1
      Push "${GUI_EXE}"
      Call ${un}Contains
      Pop $5
      ${If} $5 == 0
      ${OrIf} $6 >= 20
        ${Break}
      ${EndIf}
    ${Loop}
    nsExec::Exec 'taskkill /F /IM ${GUI_EXE}'
    nsExec::Exec 'taskkill /F /IM ${CLI_EXE}'
    Sleep 500
  ${EndIf}
FunctionEnd

; Push haystack, push needle; pops 1 when the needle is in the haystack, else 0. Registers are restored.
Function ${un}Contains
  Exch $R1 ; needle (the caller's R1 kept on the stack)
  Exch
  Exch $R2 ; haystack
  Push $R3
  Push $R4
  Push $R5
  Push $R0
  StrLen $R3 $R1
  StrCpy $R4 0
  StrCpy $R5 0
  ${Do}
    StrCpy $R0 $R2 $R3 $R4
    ${If} $R0 == ""
      ${Break}
    ${EndIf}
    ${If} $R0 == $R1
      StrCpy $R5 1
      ${Break}
    ${EndIf}
    IntOp $R4 $R4 + 1
  ${Loop}
  Pop $R0
  StrCpy $R1 $R5
  Pop $R5
  Pop $R4
  Pop $R3
  Pop $R2
  Exch $R1 ; the result on the stack, the caller's R1 back
FunctionEnd
!macroend
!insertmacro CLOSE_RUNNING ""
!insertmacro CLOSE_RUNNING "un."

Function .onInit
  SetShellVarContext current
FunctionEnd

Section "${APP_LABEL}" SecProgram
  SectionIn RO
  Call CloseRunning
  SetOutPath "$INSTDIR"
  ; An upgrade: the old version's libraries go first so that no stale file outlives it. Only program files live
  ; here; the data folder is elsewhere (DATA_DIR) and is not touched.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*"
  File "THIRD-PARTY-NOTICES.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_LABEL}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0
  CreateShortCut "$DESKTOP\${APP_LABEL}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_LABEL}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP_LABEL}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "un.${APP_LABEL}程序" UnSecProgram
  SectionIn RO
  SetShellVarContext current
  Call un.CloseRunning
  Delete "$SMPROGRAMS\${APP_LABEL}.lnk"
  Delete "$DESKTOP\${APP_LABEL}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\THIRD-PARTY-NOTICES.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

; Unticked unless the user ticks it: the uninstaller keeps the data by default.
Section /o "un.同时删除数据库、文书和备份（不可恢复）" UnSecData
  MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "将永久删除 ${DATA_DIR} 中的数据库、已出具的文书和所有备份，无法恢复。确定删除吗？" /SD IDNO IDYES wipe
  DetailPrint "已保留数据：${DATA_DIR}"
  Goto done
  wipe:
  RMDir /r "${DATA_DIR}"
  RMDir "$LOCALAPPDATA\xinfang"
  DetailPrint "已删除数据：${DATA_DIR}"
  done:
SectionEnd
