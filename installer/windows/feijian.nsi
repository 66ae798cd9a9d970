; NSIS 3 installer for feijian on Windows: per-user, Simplified Chinese, Start menu entry,
; file associations for .fjpkg and .fjcase; the uninstaller keeps the user's data.
; Build on Windows after `python installer\build.py`:  makensis /DVERSION=0.1.0 /DSRCDIR=..\..\dist\feijian feijian.nsi
Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef SRCDIR
  !define SRCDIR "..\..\dist\feijian"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\feijian-${VERSION}-setup.exe"
!endif

Name "飞检工作台 feijian ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\feijian"
InstallDirRegKey HKCU "Software\feijian" "InstallDir"
RequestExecutionLevel user
; one solid LZMA stream with a 64 MB dictionary (the default 8 MB misses repeats across the large DLLs)
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Section "feijian" SecMain
  SetOutPath "$INSTDIR"
  ; an upgrade replaces the program folder only; user data lives in %LOCALAPPDATA%\feijian
  RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}\*.*"
  WriteRegStr HKCU "Software\feijian" "InstallDir" "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\飞检工作台"
  CreateShortcut "$SMPROGRAMS\飞检工作台\飞检工作台.lnk" "$INSTDIR\feijian.exe"
  CreateShortcut "$SMPROGRAMS\飞检工作台\卸载.lnk" "$INSTDIR\uninstall.exe"

  ; file associations (per user)
  WriteRegStr HKCU "Software\Classes\.fjpkg" "" "feijian.package"
  WriteRegStr HKCU "Software\Classes\feijian.package" "" "飞检数据包"
  WriteRegStr HKCU "Software\Classes\feijian.package\shell\open\command" "" '"$INSTDIR\feijian.exe" "%1"'
  WriteRegStr HKCU "Software\Classes\.fjcase" "" "feijian.case"
  WriteRegStr HKCU "Software\Classes\feijian.case" "" "飞检加密案件"
  WriteRegStr HKCU "Software\Classes\feijian.case\shell\open\command" "" '"$INSTDIR\feijian.exe" "%1"'

  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\feijian" "DisplayName" "飞检工作台 feijian"
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\feijian" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\feijian" "Publisher" "feijian"
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\feijian" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\feijian" "NoModify" 1
SectionEnd

Section "Uninstall"
  ; the program only: cases, identities and logs in %LOCALAPPDATA%\feijian stay
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\feijian.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  RMDir /r "$SMPROGRAMS\飞检工作台"
  DeleteRegKey HKCU "Software\Classes\feijian.package"
  DeleteRegKey HKCU "Software\Classes\feijian.case"
  DeleteRegKey HKCU "Software\Classes\.fjpkg"
  DeleteRegKey HKCU "Software\Classes\.fjcase"
  DeleteRegKey HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\feijian"
  DeleteRegKey HKCU "Software\feijian"
SectionEnd
