# The Windows installer in one command: a build venv, the PyInstaller bundle, the frozen smoke run, makensis.
#
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 [-Fresh] [-Poppler] [-TestInstall]
#
#   -Fresh        remove installer\build and installer\dist first
#   -Poppler      download a poppler build for Windows (pdftoppm: preview and printing) and ship it in the bundle;
#                 or set XINFANG_POPPLER_DIR to a poppler "Library\bin" folder you already have (offline)
#   -TestInstall  after building: install silently for this user, smoke-test the installed copy, reinstall over it
#                 (an upgrade), uninstall silently and check that the data folder is kept
#
# Needs Python 3.11+ (py launcher or python on PATH), NSIS 3 (makensis; `choco install nsis` or nsis.sf.net) and the
# package index for the build venv. Output: installer\dist\xinfang-desktop-<version>-setup.exe.
# NOT RUN in the project's own CI machine (Linux): see installer\README.md.
[CmdletBinding()]
param(
    [switch]$Fresh,
    [switch]$Poppler,
    [switch]$TestInstall,
    [string]$PopplerUrl = "https://github.com/oschwartz10612/poppler-windows/releases/download/v24.08.0-0/Release-24.08.0-0.zip"
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root
$Build = Join-Path $Root "installer\build"
$Dist = Join-Path $Root "installer\dist"
$Bundle = Join-Path $Dist "xinfang-desktop"

function Invoke-Checked {
    param([string]$What, [scriptblock]$Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

if ($Fresh) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $Build, $Dist
}
New-Item -ItemType Directory -Force $Build, $Dist | Out-Null
$clock = [Diagnostics.Stopwatch]::StartNew()

# --- build venv: PyInstaller and the application's dependencies from pyproject.toml (with PostgreSQL support) ---
$Venv = Join-Path $Build "venv"
$Py = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path (Join-Path $Venv "Scripts\pyinstaller.exe"))) {
    if (Get-Command py -ErrorAction SilentlyContinue) {
        Invoke-Checked "venv" { py -3 -m venv $Venv }
    } else {
        Invoke-Checked "venv" { python -m venv $Venv }
    }
    $deps = & $Py -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join([*p['dependencies'], *p['optional-dependencies']['postgres']]))"
    Invoke-Checked "pip install" { & $Py -m pip install -q --disable-pip-version-check "pyinstaller>=6.10,<7" @($deps -split "`n" | Where-Object { $_ }) }
}

# --- poppler's pdftoppm, shipped in _internal\poppler (xinfang.spec reads XINFANG_POPPLER_DIR) ---
if ($Poppler -and -not $env:XINFANG_POPPLER_DIR) {
    $zip = Join-Path $Build "poppler.zip"
    $unpacked = Join-Path $Build "poppler"
    if (-not (Test-Path $unpacked)) {
        Invoke-WebRequest -Uri $PopplerUrl -OutFile $zip
        Expand-Archive -Path $zip -DestinationPath $unpacked -Force
    }
    $pdftoppm = Get-ChildItem -Recurse -Path $unpacked -Filter pdftoppm.exe | Select-Object -First 1
    if (-not $pdftoppm) { throw "pdftoppm.exe not found in $PopplerUrl" }
    $env:XINFANG_POPPLER_DIR = $pdftoppm.DirectoryName
}

# --- icon, bundle, smoke ---
Invoke-Checked "make_icon" { & $Py installer\make_icon.py (Join-Path $Build "icon") }
Invoke-Checked "pyinstaller" {
    & (Join-Path $Venv "Scripts\pyinstaller.exe") --noconfirm --log-level WARN --distpath $Dist `
        --workpath (Join-Path $Build "pyinstaller") installer\xinfang.spec
}
$built = $clock.Elapsed.TotalSeconds
Invoke-Checked "frozen smoke" {
    & $Py installer\smoke.py $Bundle --downgrade-python $Py --bundle $Bundle --json-out (Join-Path $Dist "smoke-windows.json")
}

# --- the installer ---
$makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $makensis) {
    foreach ($dir in @(${env:ProgramFiles(x86)}, $env:ProgramFiles)) {
        if ($dir -and (Test-Path (Join-Path $dir "NSIS\makensis.exe"))) { $makensis = Join-Path $dir "NSIS\makensis.exe" }
    }
}
if (-not $makensis) { throw "makensis not found: install NSIS 3 (choco install nsis)" }
$version = (Get-Content (Join-Path $Bundle "_internal\VERSION") -Raw).Trim()
$setup = Join-Path $Dist "xinfang-desktop-$version-setup.exe"
Push-Location installer
try {
    Invoke-Checked "makensis" { & $makensis /V2 /WX "/DBUNDLE=$Bundle" "/DCOMPRESSOR=lzma" "/DOUTFILE=$setup" xinfang.nsi }
} finally { Pop-Location }
$size = [math]::Round((Get-ChildItem -Recurse -File $Bundle | Measure-Object Length -Sum).Sum / 1MB, 1)
$setupSize = [math]::Round((Get-Item $setup).Length / 1MB, 1)
Write-Host "build-windows: bundle $size MiB, $setup $setupSize MiB; PyInstaller done after $([int]$built) s, all $([int]$clock.Elapsed.TotalSeconds) s"

# --- optional: install, upgrade, uninstall as a clerk would (silently, for this user) ---
if ($TestInstall) {
    $installed = Join-Path $env:LOCALAPPDATA "Programs\xinfang-desktop"
    $data = Join-Path $env:LOCALAPPDATA "xinfang\xinfang-desktop"
    Start-Process -Wait -FilePath $setup -ArgumentList "/S"
    if (-not (Test-Path (Join-Path $installed "xinfang.exe"))) { throw "not installed in $installed" }
    foreach ($link in @("$env:APPDATA\Microsoft\Windows\Start Menu\Programs\信访工作台.lnk", "$([Environment]::GetFolderPath('Desktop'))\信访工作台.lnk")) {
        if (-not (Test-Path $link)) { throw "shortcut missing: $link" }
    }
    Invoke-Checked "smoke of the installed copy" { & $Py installer\smoke.py $installed --downgrade-python $Py }
    # a user's own data in the default folder, then an upgrade over the installed copy, then the uninstaller
    Remove-Item Env:XINFANG_DATA_DIR -ErrorAction SilentlyContinue
    Invoke-Checked "init" { & (Join-Path $installed "xinfang.exe") init --json | Out-Null }
    if (-not (Test-Path (Join-Path $data "xinfang.sqlite3"))) { throw "no database in $data" }
    Start-Process -Wait -FilePath $setup -ArgumentList "/S"
    Invoke-Checked "after the upgrade" { & (Join-Path $installed "xinfang.exe") db check --json | Out-Null }
    Start-Process -Wait -FilePath (Join-Path $installed "uninstall.exe") -ArgumentList "/S", "_?=$installed"
    if (Test-Path (Join-Path $installed "xinfang.exe")) { throw "the uninstaller left the program" }
    if (-not (Test-Path (Join-Path $data "xinfang.sqlite3"))) { throw "the uninstaller removed the data" }
    Write-Host "build-windows: installed, upgraded, uninstalled; data kept in $data"
}
